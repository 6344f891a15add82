using System.Net;
using System.Net.Sockets;
using SharpSan.Target.Diagnostics;
using SharpSan.Target.Runtime;

namespace SharpSan.Target;

public sealed partial class IscsiTargetServer
{
    /// <summary>
    /// Serves <paramref name="next"/> from now on, atomically: its new portals are bound first, and if
    /// any cannot be, nothing changes (the exception names the portal and who holds it). Then the new
    /// topology is swapped in and its live effects follow: removed portals stop listening; sessions
    /// whose target portal group disappeared, was disabled, or whose ACL was deleted are closed (this
    /// returns once they are); sessions whose LUN inventory changed see it at once and get UNIT
    /// ATTENTION, REPORTED LUNS DATA HAS CHANGED. Logical units are not opened or closed here: the
    /// caller closes those that <paramref name="next"/> no longer exports after this returns.
    /// </summary>
    public async Task ApplyAsync(TargetTopology next)
    {
        await _applyLock.WaitAsync();
        try
        {
            // Bind the new portals before committing, so a taken port refuses the whole change.
            var wanted = next.ListenEndpoints().ToHashSet();
            var bound = new List<Socket>();
            var retired = new List<IPEndPoint>();
            try
            {
                foreach (var ep in wanted)
                {
                    bool have;
                    lock (_listeners) have = _listeners.ContainsKey(ep);
                    if (have) continue;
                    // A socket of ours this change drops may hold the port in a way the new one cannot
                    // share (0.0.0.0:P giving way to a dual-stack [::]:P): it goes first.
                    retired.AddRange(StopListenersClashingWith(ep, wanted));
                    bound.Add(Bind(ep));
                }
            }
            catch
            {
                foreach (var s in bound) s.Dispose();
                foreach (var ep in retired)
                {
                    try
                    {
                        StartListener(Bind(ep));
                    }
                    catch (IOException ex)
                    {
                        Log.Error($"could not listen again on {Format(ep)} after a refused change: {ex.Message}");
                    }
                }
                throw;
            }

            _topology = next;
            foreach (var s in bound) StartListener(s);
            StopListenersNotIn(wanted);
            var closing = UpdateSessions(next);
            if (closing.Count > 0)
                await Task.WhenAll(closing).WaitAsync(Options.DrainTimeout + TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>Stops our listeners on <paramref name="ep"/>'s port that are not wanted any more and
    /// would keep it from binding (either one a wildcard); returns their endpoints.</summary>
    private List<IPEndPoint> StopListenersClashingWith(IPEndPoint ep, HashSet<IPEndPoint> wanted)
    {
        static bool Wildcard(IPAddress a) => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any);
        var stopped = new List<IPEndPoint>();
        lock (_listeners)
        {
            foreach (var held in _listeners.Keys.Where(h => h.Port == ep.Port && !wanted.Contains(h) && (Wildcard(h.Address) || Wildcard(ep.Address))).ToList())
            {
                _listeners[held].Socket.Dispose();
                _listeners.Remove(held);
                stopped.Add(held);
                Log.Info($"stopped listening on {Format(held)}: {Format(ep)} takes over its port");
            }
        }
        return stopped;
    }

    private void StopListenersNotIn(HashSet<IPEndPoint> wanted)
    {
        lock (_listeners)
        {
            foreach (var ep in _listeners.Keys.Where(ep => !wanted.Contains(ep)).ToList())
            {
                _listeners[ep].Socket.Dispose();
                _listeners.Remove(ep);
                Log.Info($"stopped listening on {Format(ep)}");
            }
        }
    }

    /// <summary>Moves every normal session onto the new tree; returns the close tasks of the sessions
    /// that lost their TPG or ACL.</summary>
    private List<Task> UpdateSessions(TargetTopology next)
    {
        var closing = new List<Task>();
        foreach (var session in SessionsSnapshot())
        {
            if (session.IsDiscovery || session.Tpg is null) continue;
            var oldTpg = session.Tpg;
            TargetPortalGroup? tpg = null;
            if (next.Targets.TryGetValue(oldTpg.Target.Name, out var target))
                tpg = target.Tpgs.FirstOrDefault(t => t.Tag == oldTpg.Tag && t.Enabled);
            NodeAcl? acl = null;
            bool allowed = tpg is not null && (tpg.Acls.TryGetValue(session.InitiatorName, out acl) || tpg.GenerateNodeAcls);
            if (!allowed)
            {
                Log.Info($"closing session of {session.InitiatorName} (TSIH {session.Tsih}): " +
                         (tpg is null ? $"{oldTpg.Target.Name} tpg {oldTpg.Tag} is gone or disabled" : "its ACL was deleted"));
                if (session.Connection is { } c)
                {
                    c.Abort();
                    closing.Add(c.Closed);
                }
                continue;
            }
            var map = tpg!.BuildLunMap(acl);
            session.Tpg = tpg;
            if (SameInventory(session.LunMap, map)) continue;
            session.LunMap = map;
            AdoptUnits(map);
            // SPC-4 5.14 / SAM-5: the nexus learns of the change on its next command to any LU it sees.
            foreach (var entry in map.Entries) entry.Unit.ReportedLunsDataChanged(session.Nexus);
            Log.Info($"LUN inventory of {session.InitiatorName} (TSIH {session.Tsih}) changed: {map.Entries.Count} LUN(s)");
        }
        return closing;
    }

    private static bool SameInventory(LunMap a, LunMap b)
    {
        if (a.Entries.Count != b.Entries.Count) return false;
        for (int i = 0; i < a.Entries.Count; i++)
        {
            var x = a.Entries[i];
            var y = b.Entries[i];
            if (x.Lun != y.Lun || !ReferenceEquals(x.Unit, y.Unit) || x.WriteProtected != y.WriteProtected) return false;
        }
        return true;
    }
}
