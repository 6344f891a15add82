using System.Globalization;
using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>
/// Logging records in and sessions out through the session backend, with open-iscsi's progress and
/// result lines; shared by node, session and discovery (-l) modes.
/// </summary>
internal sealed class SessionLogins(NodeDatabase database, ISessionBackend sessions, CommandOutput output)
{
    /// <summary>
    /// The running-session check before changing or deleting a record. open-iscsi reads sysfs, which
    /// needs no daemon; here an unreachable iscsid means no SharpSAN sessions can exist.
    /// </summary>
    public async Task<IReadOnlyList<SessionInfo>> ListOrEmptyAsync(CancellationToken ct)
    {
        try
        {
            return await sessions.ListSessionsAsync(ct);
        }
        catch (IscsiAdmException e) when (e.Error == IscsiError.IscsidNotConnected)
        {
            return [];
        }
    }

    public static bool UsesRecord(SessionInfo s, NodeRecord r) =>
        s.TargetName == r.TargetName
        && string.Equals(s.EffectivePersistentAddress, r.Address, StringComparison.OrdinalIgnoreCase)
        && s.EffectivePersistentPort == r.Port
        && s.IfaceName == r.IfaceName;

    /// <summary><see cref="LoginAsync"/>, then "Could not log into all portals" when one failed.</summary>
    public async Task<IscsiError> LoginAllAsync(List<NodeRecord> records, CancellationToken ct)
    {
        var rc = await LoginAsync(records, ct);
        if (rc != IscsiError.Success)
            output.Error("Could not log into all portals");
        return rc;
    }

    /// <summary>
    /// iscsi_login_portals with wait: sessions already present are reported (15), every other
    /// record prints "Logging in to" first, then one result line each as the logins finish.
    /// </summary>
    public async Task<IscsiError> LoginAsync(List<NodeRecord> records, CancellationToken ct)
    {
        var present = await sessions.ListSessionsAsync(ct);
        var rc = IscsiError.Success;
        var pending = new List<NodeRecord>();
        foreach (var r in records)
        {
            var count = present.Count(s => UsesRecord(s, r));
            var wanted = Math.Max(1, r.NrSessions);
            if (count >= wanted)
            {
                output.Error(string.Create(CultureInfo.InvariantCulture,
                    $"{r.IfaceName}: {wanted} session{(wanted == 1 ? "" : "s")} requested, but {count} already present."));
                if (rc == IscsiError.Success)
                    rc = IscsiError.SessionExists;
                continue;
            }
            for (var i = count; i < wanted; i++)
            {
                output.Info($"Logging in to {Describe(r)}{(wanted > 1 ? " (multiple)" : "")}");
                pending.Add(r);
            }
        }
        string? initiatorName = null;
        foreach (var r in pending)
        {
            var login = r;
            if (login["iface.initiatorname"].Length == 0)
            {
                // The iface's name comes from initiatorname.iscsi, as iscsid fills it in.
                initiatorName ??= InitiatorName.ReadOrCreate(database.InitiatorNamePath);
                login = NodeRecord.Parse(r.Format(RecordFormatMode.File));
                login["iface.initiatorname"] = initiatorName;
            }
            var result = await sessions.LoginAsync(login, ct);
            if (result == IscsiError.Success)
            {
                output.Info($"Login to {Describe(r)} successful.");
                continue;
            }
            output.Error($"Could not login to {Describe(r)}.");
            output.ReportInitiatorError(result);
            if (rc == IscsiError.Success)
                rc = result;
        }
        return rc;
    }

    /// <summary><see cref="LogoutAsync"/>, with "No matching sessions found" when none was selected.</summary>
    public async Task<IscsiError> LogoutMatchingAsync(Func<SessionInfo, bool> select, CancellationToken ct)
    {
        var rc = await LogoutAsync(select, ct);
        if (rc == IscsiError.NoObjectsFound)
            output.Error("No matching sessions found");
        return rc;
    }

    /// <summary>iscsi_logout_portals: "Logging out of session" for each match, then the results.</summary>
    public async Task<IscsiError> LogoutAsync(Func<SessionInfo, bool> select, CancellationToken ct)
    {
        var chosen = (await sessions.ListSessionsAsync(ct)).Where(select).ToList();
        if (chosen.Count == 0)
            return IscsiError.NoObjectsFound;
        foreach (var s in chosen)
            output.Info($"Logging out of session {Describe(s)}");
        var rc = IscsiError.Success;
        foreach (var s in chosen)
        {
            var what = Describe(s);
            var result = await sessions.LogoutAsync(s.Sid, ct);
            if (result == IscsiError.Success)
            {
                output.Info($"Logout of {what} successful.");
                continue;
            }
            output.Error($"Could not logout of {what}.");
            output.ReportInitiatorError(result);
            if (rc == IscsiError.Success)
                rc = result;
        }
        if (rc != IscsiError.Success)
            output.Error("Could not logout of all requested sessions");
        return rc;
    }

    private static string Describe(NodeRecord r) =>
        string.Create(CultureInfo.InvariantCulture, $"[iface: {r.IfaceName}, target: {r.TargetName}, portal: {r.Address},{r.Port}]");

    private static string Describe(SessionInfo s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"[sid: {s.Sid}, target: {s.TargetName}, portal: {s.EffectivePersistentAddress},{s.EffectivePersistentPort}]");
}
