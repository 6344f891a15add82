using SharpSan.Config;
using SharpSan.Scsi;

namespace SharpSan.Daemon;

/// <summary>A unit's ALUA definition from the configuration: its groups and which group each target
/// port (relative target port identifier) exporting it belongs to.</summary>
internal sealed record AluaPlan(IReadOnlyList<TargetPortGroupSettings> Groups, IReadOnlyDictionary<ushort, string> Ports);

/// <summary>
/// How a storage object's alua_tpgs and its LUNs' alua_tg_pt_gp_name become the target port groups of
/// its logical unit (SPC-4 5.15, after LIO): relative target port identifiers for every TPG, the groups'
/// settings, and which states a live unit takes on a change (the administrator's changes only: a state
/// SET TARGET PORT GROUPS set is kept while the configuration leaves that group's state alone).
/// </summary>
internal static class AluaDefinition
{
    /// <summary>
    /// The relative target port identifier of every TPG ((target wwn, tag) -> id). Unique across the
    /// daemon, as LIO allocates them, since one logical unit can be exported through several targets:
    /// a TPG keeps its tag as its id unless an earlier TPG (in configuration order) took it, then it
    /// takes the lowest free one. Adding a target after the others changes no id a session already uses.
    /// </summary>
    public static Dictionary<(string Target, ushort Tag), ushort> RelativePortIds(SanConfig config)
    {
        var ids = new Dictionary<(string, ushort), ushort>();
        var used = new HashSet<ushort>();
        var clashing = new List<(string, ushort)>();
        foreach (var t in config.Targets)
            foreach (var tpg in t.Tpgs)
            {
                if (tpg.Tag != 0 && used.Add(tpg.Tag))
                    ids[(t.Wwn, tpg.Tag)] = tpg.Tag;
                else
                    clashing.Add((t.Wwn, tpg.Tag));
            }
        ushort next = 1;
        foreach (var key in clashing)
        {
            while (used.Contains(next)) next++;
            used.Add(next);
            ids[key] = next;
        }
        return ids;
    }

    /// <summary>The plan of every storage object (by path) that <paramref name="config"/> exports or defines.</summary>
    public static Dictionary<string, AluaPlan> Plans(SanConfig config)
    {
        var rtpis = RelativePortIds(config);
        var ports = config.StorageObjects.ToDictionary(s => s.Path, _ => new Dictionary<ushort, string>(), StringComparer.Ordinal);
        foreach (var t in config.Targets)
            foreach (var tpg in t.Tpgs)
                foreach (var lun in tpg.Luns)
                    // One LU exported twice through one TPG has one port: the first LUN names its group.
                    if (ports.TryGetValue(lun.StorageObject, out var map))
                        map.TryAdd(rtpis[(t.Wwn, tpg.Tag)], lun.AluaTgPtGp);
        return config.StorageObjects.ToDictionary(s => s.Path, s => new AluaPlan(s.AluaGroups.Select(Settings).ToList(), ports[s.Path]), StringComparer.Ordinal);
    }

    public static TargetPortGroupSettings Settings(AluaGroupConfig g) => new()
    {
        Name = g.Name,
        Id = (ushort)g.TgPtGpId,
        State = (AsymmetricAccessState)g.AluaAccessState,
        Status = (AluaStatus)g.AluaAccessStatus,
        AccessType = (AluaAccessType)g.AluaAccessType,
        Preferred = g.Preferred,
        Supported = (g.SupportActiveOptimized ? SupportedAccessStates.ActiveOptimized : 0)
            | (g.SupportActiveNonoptimized ? SupportedAccessStates.ActiveNonOptimized : 0)
            | (g.SupportStandby ? SupportedAccessStates.Standby : 0)
            | (g.SupportUnavailable ? SupportedAccessStates.Unavailable : 0)
            | (g.SupportOffline ? SupportedAccessStates.Offline : 0)
            | (g.SupportTransitioning ? SupportedAccessStates.Transitioning : 0),
        NonOptimizedDelayMs = g.NonopDelayMsecs,
        TransitionDelayMs = g.TransDelayMsecs,
        ImplicitTransitionSeconds = g.ImplicitTransSecs,
        WriteMetadata = g.AluaWriteMetadata,
    };

    /// <summary>
    /// What a live unit takes from a new plan: each group's state and status as the configuration has
    /// them where it changed them (a new state with an unchanged status is LIO's "altered by implicit
    /// ALUA"), the unit's current ones where it did not.
    /// </summary>
    public static AluaPlan Merge(LogicalUnit unit, StorageObjectConfig before, StorageObjectConfig after, AluaPlan next)
    {
        var current = unit.Alua.Current;
        var groups = new List<TargetPortGroupSettings>();
        foreach (var g in next.Groups)
        {
            var old = before.FindAluaGroup(g.Name);
            var live = current.FirstOrDefault(c => c.Name == g.Name);
            if (old is null || live is null)
            {
                groups.Add(g);
                continue;
            }
            bool stateChanged = old.AluaAccessState != (int)g.State;
            bool statusChanged = old.AluaAccessStatus != (int)g.Status;
            var state = stateChanged ? g.State : live.State;
            var status = statusChanged ? g.Status : stateChanged ? AluaStatus.AlteredByImplicitAlua : live.Status;
            // A group whose transition the configuration did not touch ends where it was going.
            if (state == AsymmetricAccessState.Transitioning && !stateChanged)
                state = g.State;
            groups.Add(g with { State = g.SupportsState(state) ? state : g.State, Status = status });
        }
        // default_tg_pt_gp exists unlisted: keep its live state when the configuration does not list it.
        if (!groups.Any(g => g.Name == TargetPortGroupSettings.DefaultName) && current.FirstOrDefault(c => c.Name == TargetPortGroupSettings.DefaultName) is { } liveDefault
            && before.AluaGroups.All(g => g.Name != TargetPortGroupSettings.DefaultName))
            groups.Insert(0, liveDefault);
        return next with { Groups = groups };
    }

    /// <summary>
    /// Writes the live state and status of every unit's groups into <paramref name="config"/> (a copy of
    /// the served tree), as LIO's saveconfig reads them from configfs: what SET TARGET PORT GROUPS did
    /// shows in targetcli and is saved. The default group is listed once it leaves LIO's defaults.
    /// </summary>
    public static void Overlay(SanConfig config, IReadOnlyDictionary<string, UnitEntry> units)
    {
        foreach (var so in config.StorageObjects)
        {
            if (!units.TryGetValue(so.Path, out var entry))
                continue;
            foreach (var live in entry.Unit.Alua.Current)
            {
                var listed = so.AluaGroups.Find(g => g.Name == live.Name);
                if (listed is null)
                {
                    if (live.Name != TargetPortGroupSettings.DefaultName
                        || (live.State == AsymmetricAccessState.ActiveOptimized && live.Status == AluaStatus.None))
                        continue;
                    listed = new AluaGroupConfig();
                    so.AluaGroups.Insert(0, listed);
                }
                listed.AluaAccessState = (int)live.State;
                listed.AluaAccessStatus = (int)live.Status;
            }
        }
    }
}
