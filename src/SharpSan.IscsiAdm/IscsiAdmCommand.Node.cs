using System.Globalization;
using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm;

public sealed partial class IscsiAdmCommand
{
    /// <summary>
    /// __iscsi_match_session: what -T/-p/-I select. Empty fields match anything; the port only
    /// counts when -p was given (it then defaults to 3260); tpgt is not compared.
    /// </summary>
    private sealed record Pattern(string TargetName, string Address, int Port, string IfaceName, int Sid = -1)
    {
        public bool IsEmpty => TargetName.Length == 0 && Address.Length == 0 && IfaceName.Length == 0;

        public bool Matches(NodeRecord r) =>
            (TargetName.Length == 0 || TargetName == r.TargetName)
            && (Address.Length == 0 || string.Equals(Address, r.Address, StringComparison.OrdinalIgnoreCase))
            && (Port < 0 || Port == r.Port)
            && (IfaceName.Length == 0 || IfaceName == r.IfaceName);

        public bool Matches(SessionInfo s) =>
            (Sid < 0 || Sid == s.Sid)
            && (TargetName.Length == 0 || TargetName == s.TargetName)
            && (Address.Length == 0 || string.Equals(Address, s.EffectivePersistentAddress, StringComparison.OrdinalIgnoreCase)
                || string.Equals(Address, s.Address, StringComparison.OrdinalIgnoreCase))
            && (Port < 0 || Port == s.EffectivePersistentPort || Port == s.Port)
            && (IfaceName.Length == 0 || IfaceName == s.IfaceName);
    }

    private static Pattern PatternOf(IscsiAdmOptions o)
    {
        var port = o.Port;
        if (o.PortalAddress is not null && port == -1)
            port = 3260; // ISCSI_LISTEN_PORT
        return new Pattern(o.TargetName ?? "", o.PortalAddress ?? "", port, o.Ifaces.FirstOrDefault() ?? "");
    }

    private async Task<IscsiError> NodeModeAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        if (o.LoginAll is not null)
            return await LoginByStartupAsync(o.LoginAll, ct);
        if (o.LogoutAll is not null)
            return await LogoutByStartupAsync(o.LogoutAll, ct);
        if (o.Ifaces.Count > 1)
            Error($"NODE mode only accepts one interface. Using the first one driver tcp hwaddress  ipaddress .");
        var pattern = PatternOf(o);
        var op = o.Operations;

        if (op.HasFlag(NodeOperation.New))
            return AddStaticRecord(o, pattern);
        if (o.Rescan)
            return NotSupported("rescanning sessions needs the SharpSAN iscsid, which is not available yet");
        if (o.Stats)
            return NotSupported("session statistics need the SharpSAN iscsid, which is not available yet");
        if (o.Login && o.Logout)
        {
            Error("Invalid parameters. Both login and logout passed in");
            return IscsiError.InvalidArgument;
        }
        if ((o.Login || o.Logout) && op != NodeOperation.None)
        {
            Error("Invalid parameters. Login/logout and op passed in");
            return IscsiError.InvalidArgument;
        }
        if (!o.Login && !o.Logout && op == NodeOperation.None && pattern.IsEmpty)
            return PrintNodes(o.PrintLevel);
        if (o.Login)
            return await LoginPortalsAsync(pattern, ct);
        if (o.Logout)
        {
            var rc = await LogoutSessionsAsync(pattern.Matches, ct);
            if (rc == IscsiError.NoObjectsFound)
                Error("No matching sessions found");
            return rc;
        }
        if (op == NodeOperation.None || op == NodeOperation.Show)
            return PrintNodesConfig(pattern, o.ShowSecrets);
        if (op == NodeOperation.Update)
            return await UpdateNodesAsync(pattern, o.Parameters, ct);
        if (op == NodeOperation.Delete)
            return await DeleteNodesAsync(pattern, ct);
        Error("operation is not supported.");
        return IscsiError.InvalidArgument;
    }

    private IscsiError PrintNodes(int level)
    {
        if (level != 0 && level != -1 && level != 1)
        {
            Error($"Invalid info level {level}. Try 0 or 1.");
            return IscsiError.InvalidArgument;
        }
        var nodes = _db.ReadAllNodes();
        if (nodes.Count == 0)
        {
            Error("No records found");
            return IscsiError.NoObjectsFound;
        }
        if (level == 1)
            PrintNodeTree(nodes, "", withIface: true);
        else
            foreach (var n in nodes)
                _out.Write(string.Create(CultureInfo.InvariantCulture, $"{n.PortalText},{n.Tpgt} {n.TargetName}\n"));
        return IscsiError.Success;
    }

    /// <summary>print_nodes_tree: "Target:" once per target, "\tPortal:" per record.</summary>
    private void PrintNodeTree(IEnumerable<NodeRecord> nodes, string prefix, bool withIface)
    {
        string? previous = null;
        foreach (var n in nodes)
        {
            if (previous != n.TargetName)
                _out.Write($"{prefix}Target: {n.TargetName}\n");
            _out.Write(string.Create(CultureInfo.InvariantCulture, $"{prefix}\tPortal: {n.PortalText},{n.Tpgt}\n"));
            if (withIface)
                _out.Write($"\t\tIface Name: {n.IfaceName}\n");
            previous = n.TargetName;
        }
    }

    private IscsiError PrintNodesConfig(Pattern pattern, bool showSecrets)
    {
        var any = false;
        foreach (var n in _db.ReadAllNodes().Where(pattern.Matches))
        {
            _out.Write(n.Format(showSecrets ? RecordFormatMode.ShowSecrets : RecordFormatMode.ShowMasked));
            any = true;
        }
        if (any)
            return IscsiError.Success;
        Error("No records found");
        return IscsiError.NoObjectsFound;
    }

    /// <summary>__for_each_matched_rec's "No records found" check.</summary>
    private List<NodeRecord>? MatchedRecords(Pattern pattern)
    {
        var list = _db.ReadAllNodes().Where(pattern.Matches).ToList();
        if (list.Count > 0)
            return list;
        Error("No records found");
        return null;
    }

    private async Task<IscsiError> UpdateNodesAsync(Pattern pattern, List<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        if (parameters.Count == 0)
        {
            Error("update requires name and value");
            return IscsiError.InvalidArgument;
        }
        var names = new List<KeyValuePair<string, string>>();
        foreach (var p in parameters)
        {
            var name = p.Key == "node.transport_name" ? "iface.transport_name" : p.Key; // compat
            if (name.StartsWith("iface.", StringComparison.Ordinal) && name != "iface.transport_name")
            {
                Error($"Cannot modify {name}. Use iface mode to update this value.");
                return IscsiError.InvalidArgument;
            }
            names.Add(new(name, p.Value));
        }
        var records = MatchedRecords(pattern);
        if (records is null)
            return IscsiError.NoObjectsFound;
        if (names.Any(p => p.Key == "iface.transport_name"))
        {
            var sessions = await SessionsOrEmptyAsync(ct);
            if (records.Any(r => sessions.Any(s => SessionUsesRecord(s, r))))
            {
                Error("Cannot modify node/iface transport name while a session is using it. Log out the session then update record.");
                return IscsiError.SessionExists;
            }
        }
        var rc = IscsiError.Success;
        foreach (var record in records)
        {
            var one = UpdateRecord(record, names);
            if (one == IscsiError.Success)
                _db.WriteNode(record);
            else if (rc == IscsiError.Success)
                rc = one;
        }
        if (rc != IscsiError.Success)
            Error($"Could not execute operation on all records: {IscsiErrors.Message(rc)}");
        return rc;
    }

    /// <summary>idbm_node_set_rec_from_param with verify: names first, then values.</summary>
    private IscsiError UpdateRecord(Record record, List<KeyValuePair<string, string>> parameters)
    {
        foreach (var p in parameters)
        {
            var key = record.Schema.Find(p.Key);
            if (key is null)
            {
                Error($"Cannot modify {p.Key}. Invalid param name.");
                return IscsiError.InvalidArgument;
            }
            if (!key.CanModify)
            {
                Error($"Cannot modify {p.Key}. It is used to look up the record and cannot be changed.");
                return IscsiError.InvalidArgument;
            }
        }
        foreach (var p in parameters)
        {
            var warnings = new List<string>();
            var failure = record.Update(p.Key, p.Value, warnings);
            foreach (var w in warnings)
                Error(w);
            if (failure is not null)
            {
                Error(failure);
                Error($"Unknown parameter {p.Key}.");
                return IscsiError.InvalidArgument;
            }
        }
        return IscsiError.Success;
    }

    private async Task<IscsiError> DeleteNodesAsync(Pattern pattern, CancellationToken ct)
    {
        var records = MatchedRecords(pattern);
        if (records is null)
            return IscsiError.NoObjectsFound;
        var sessions = await SessionsOrEmptyAsync(ct);
        var rc = IscsiError.Success;
        foreach (var r in records)
        {
            if (sessions.Any(s => SessionUsesRecord(s, r)))
            {
                Error($"This command will remove the record [iface: {r.IfaceName}, target: {r.TargetName}, portal: {r.Address},{r.Port}], but a session is using it. Logout session then rerun command to remove record.");
                rc = IscsiError.SessionExists;
                continue;
            }
            _db.DeleteNode(r);
        }
        if (rc != IscsiError.Success)
            Error($"Could not execute operation on all records: {IscsiErrors.Message(rc)}");
        return rc;
    }

    /// <summary>
    /// The running-session check before deleting a record. open-iscsi reads sysfs, which needs no
    /// daemon; here an unreachable iscsid means no SharpSAN sessions can exist.
    /// </summary>
    private async Task<IReadOnlyList<SessionInfo>> SessionsOrEmptyAsync(CancellationToken ct)
    {
        try
        {
            return await _sessions.ListSessionsAsync(ct);
        }
        catch (IscsiAdmException e) when (e.Error == IscsiError.IscsidNotConnected)
        {
            return [];
        }
    }

    private static bool SessionUsesRecord(SessionInfo s, NodeRecord r) =>
        s.TargetName == r.TargetName
        && string.Equals(s.EffectivePersistentAddress, r.Address, StringComparison.OrdinalIgnoreCase)
        && s.EffectivePersistentPort == r.Port
        && s.IfaceName == r.IfaceName;

    /// <summary>add_static_recs: -o new with -T and -p makes a static record with the defaults.</summary>
    private IscsiError AddStaticRecord(IscsiAdmOptions o, Pattern pattern)
    {
        if (pattern.TargetName.Length == 0 || pattern.Address.Length == 0)
        {
            Error($"Error while adding record: {IscsiErrors.Message(IscsiError.NoObjectsFound)}");
            return IscsiError.NoObjectsFound;
        }
        var record = NodeRecord.Create(pattern.TargetName, pattern.Address, pattern.Port, o.Tpgt, pattern.IfaceName.Length > 0 ? pattern.IfaceName : "default");
        record.DiscoveryType = "static";
        var warnings = new List<string>();
        foreach (var p in o.Parameters)
            record.Update(p.Key, p.Value, warnings);
        _db.WriteNode(record);
        _out.Write(string.Create(CultureInfo.InvariantCulture,
            $"New iSCSI node [{record.TransportName}:[hw=,ip=,net_if=,iscsi_if={record.IfaceName}] {record.Address},{record.Port},{record.Tpgt} {record.TargetName}] added\n"));
        return IscsiError.Success;
    }

    private static bool StartupMatches(NodeRecord r, string mode) =>
        mode == "all" || r.Startup == mode || r["node.conn[0].startup"] == mode;

    private static bool IsStartupMode(string mode) => mode is "all" or "manual" or "automatic" or "onboot";

    private async Task<IscsiError> LoginByStartupAsync(string mode, CancellationToken ct)
    {
        if (!IsStartupMode(mode))
        {
            Error($"Invalid loginall option {mode}.");
            return IscsiError.InvalidArgument;
        }
        // onboot records are logged in by the initramfs, never by -L (login_by_startup).
        var records = _db.ReadAllNodes().Where(r => StartupMatches(r, mode) && !(mode == "all" && r.Startup == "onboot")).ToList();
        if (records.Count == 0)
        {
            Error("No records found");
            return IscsiError.NoObjectsFound;
        }
        var rc = await LoginRecordsAsync(records, ct);
        if (rc != IscsiError.Success)
            Error("Could not log into all portals");
        return rc;
    }

    private async Task<IscsiError> LogoutByStartupAsync(string mode, CancellationToken ct)
    {
        if (!IsStartupMode(mode))
        {
            Error($"Invalid logoutall option {mode}.");
            return IscsiError.InvalidArgument;
        }
        var records = _db.ReadAllNodes();
        bool Select(SessionInfo s)
        {
            if (mode == "all")
                return true;
            var r = records.FirstOrDefault(r => SessionUsesRecord(s, r));
            return r is not null && StartupMatches(r, mode) && r.Startup != "onboot";
        }
        var rc = await LogoutSessionsAsync(Select, ct);
        if (rc == IscsiError.NoObjectsFound)
            Error("No matching sessions found");
        return rc;
    }

    private async Task<IscsiError> LoginPortalsAsync(Pattern pattern, CancellationToken ct)
    {
        var records = MatchedRecords(pattern);
        if (records is null)
            return IscsiError.NoObjectsFound;
        var rc = await LoginRecordsAsync(records, ct);
        if (rc != IscsiError.Success)
            Error("Could not log into all portals");
        return rc;
    }

    private static string Describe(NodeRecord r) =>
        string.Create(CultureInfo.InvariantCulture, $"[iface: {r.IfaceName}, target: {r.TargetName}, portal: {r.Address},{r.Port}]");

    /// <summary>
    /// iscsi_login_portals with wait: sessions already present are reported (15), every other
    /// record prints "Logging in to" first, then one result line each as the logins finish.
    /// </summary>
    private async Task<IscsiError> LoginRecordsAsync(List<NodeRecord> records, CancellationToken ct)
    {
        var sessions = await _sessions.ListSessionsAsync(ct);
        var rc = IscsiError.Success;
        var pending = new List<NodeRecord>();
        foreach (var r in records)
        {
            var present = sessions.Count(s => SessionUsesRecord(s, r));
            var wanted = Math.Max(1, r.NrSessions);
            if (present >= wanted)
            {
                Error(string.Create(CultureInfo.InvariantCulture,
                    $"{r.IfaceName}: {wanted} session{(wanted == 1 ? "" : "s")} requested, but {present} already present."));
                if (rc == IscsiError.Success)
                    rc = IscsiError.SessionExists;
                continue;
            }
            for (var i = present; i < wanted; i++)
            {
                Info($"Logging in to {Describe(r)}{(wanted > 1 ? " (multiple)" : "")}");
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
                initiatorName ??= InitiatorName.ReadOrCreate(_db.InitiatorNamePath);
                login = NodeRecord.Parse(r.Format(RecordFormatMode.File));
                login["iface.initiatorname"] = initiatorName;
            }
            var result = await _sessions.LoginAsync(login, ct);
            if (result == IscsiError.Success)
            {
                Info($"Login to {Describe(r)} successful.");
                continue;
            }
            Error($"Could not login to {Describe(r)}.");
            ReportInitiatorError(result);
            if (rc == IscsiError.Success)
                rc = result;
        }
        return rc;
    }

    /// <summary>iscsi_logout_portals: "Logging out of session" for each match, then the results.</summary>
    private async Task<IscsiError> LogoutSessionsAsync(Func<SessionInfo, bool> select, CancellationToken ct)
    {
        var sessions = await _sessions.ListSessionsAsync(ct);
        var chosen = sessions.Where(select).ToList();
        if (chosen.Count == 0)
            return IscsiError.NoObjectsFound;
        foreach (var s in chosen)
            Info(string.Create(CultureInfo.InvariantCulture,
                $"Logging out of session [sid: {s.Sid}, target: {s.TargetName}, portal: {s.EffectivePersistentAddress},{s.EffectivePersistentPort}]"));
        var rc = IscsiError.Success;
        foreach (var s in chosen)
        {
            var what = string.Create(CultureInfo.InvariantCulture,
                $"[sid: {s.Sid}, target: {s.TargetName}, portal: {s.EffectivePersistentAddress},{s.EffectivePersistentPort}]");
            var result = await _sessions.LogoutAsync(s.Sid, ct);
            if (result == IscsiError.Success)
            {
                Info($"Logout of {what} successful.");
                continue;
            }
            Error($"Could not logout of {what}.");
            ReportInitiatorError(result);
            if (rc == IscsiError.Success)
                rc = result;
        }
        if (rc != IscsiError.Success)
            Error("Could not logout of all requested sessions");
        return rc;
    }
}
