using System.Globalization;
using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>-m node: list, show, add (-o new), update, delete records; log them in and out (-l, -u, -L, -U).</summary>
internal sealed class NodeMode(NodeDatabase database, SessionLogins logins, CommandOutput output)
{
    public async Task<IscsiError> RunAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        if (o.LoginAll is not null)
            return await LoginByStartupAsync(o.LoginAll, ct);
        if (o.LogoutAll is not null)
            return await LogoutByStartupAsync(o.LogoutAll, ct);
        if (o.Ifaces.Count > 1)
            output.Error($"NODE mode only accepts one interface. Using the first one driver tcp hwaddress  ipaddress .");
        var pattern = NodePattern.From(o);
        var op = o.Operations;

        if (op.HasFlag(NodeOperation.New))
            return AddStaticRecord(o, pattern);
        if (o.Rescan)
            return output.NotSupported("rescanning sessions needs the SharpSAN iscsid, which is not available yet");
        if (o.Stats)
            return output.NotSupported("session statistics need the SharpSAN iscsid, which is not available yet");
        if (o.Login && o.Logout)
        {
            output.Error("Invalid parameters. Both login and logout passed in");
            return IscsiError.InvalidArgument;
        }
        if ((o.Login || o.Logout) && op != NodeOperation.None)
        {
            output.Error("Invalid parameters. Login/logout and op passed in");
            return IscsiError.InvalidArgument;
        }
        if (!o.Login && !o.Logout && op == NodeOperation.None && pattern.IsEmpty)
            return PrintNodes(o.PrintLevel);
        if (o.Login)
            return await LoginPortalsAsync(pattern, ct);
        if (o.Logout)
            return await logins.LogoutMatchingAsync(pattern.Matches, ct);
        if (op == NodeOperation.None || op == NodeOperation.Show)
            return PrintNodesConfig(pattern, o.ShowSecrets);
        if (op == NodeOperation.Update)
            return await UpdateNodesAsync(pattern, o.Parameters, ct);
        if (op == NodeOperation.Delete)
            return await DeleteNodesAsync(pattern, ct);
        output.Error("operation is not supported.");
        return IscsiError.InvalidArgument;
    }

    private IscsiError PrintNodes(int level)
    {
        if (level != 0 && level != -1 && level != 1)
        {
            output.Error($"Invalid info level {level}. Try 0 or 1.");
            return IscsiError.InvalidArgument;
        }
        var nodes = database.ReadAllNodes();
        if (nodes.Count == 0)
        {
            output.Error("No records found");
            return IscsiError.NoObjectsFound;
        }
        if (level == 1)
            output.NodeTree(nodes, "", withIface: true);
        else
            output.NodeList(nodes);
        return IscsiError.Success;
    }

    private IscsiError PrintNodesConfig(NodePattern pattern, bool showSecrets)
    {
        var any = false;
        foreach (var n in database.ReadAllNodes().Where(pattern.Matches))
        {
            output.Record(n, showSecrets);
            any = true;
        }
        if (any)
            return IscsiError.Success;
        output.Error("No records found");
        return IscsiError.NoObjectsFound;
    }

    /// <summary>__for_each_matched_rec's "No records found" check.</summary>
    private List<NodeRecord>? MatchedRecords(NodePattern pattern)
    {
        var list = database.ReadAllNodes().Where(pattern.Matches).ToList();
        if (list.Count > 0)
            return list;
        output.Error("No records found");
        return null;
    }

    private async Task<IscsiError> UpdateNodesAsync(NodePattern pattern, List<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        if (parameters.Count == 0)
        {
            output.Error("update requires name and value");
            return IscsiError.InvalidArgument;
        }
        var names = new List<KeyValuePair<string, string>>();
        foreach (var p in parameters)
        {
            var name = p.Key == "node.transport_name" ? "iface.transport_name" : p.Key; // compat
            if (name.StartsWith("iface.", StringComparison.Ordinal) && name != "iface.transport_name")
            {
                output.Error($"Cannot modify {name}. Use iface mode to update this value.");
                return IscsiError.InvalidArgument;
            }
            names.Add(new(name, p.Value));
        }
        var records = MatchedRecords(pattern);
        if (records is null)
            return IscsiError.NoObjectsFound;
        if (names.Any(p => p.Key == "iface.transport_name"))
        {
            var sessions = await logins.ListOrEmptyAsync(ct);
            if (records.Any(r => sessions.Any(s => SessionLogins.UsesRecord(s, r))))
            {
                output.Error("Cannot modify node/iface transport name while a session is using it. Log out the session then update record.");
                return IscsiError.SessionExists;
            }
        }
        var rc = IscsiError.Success;
        foreach (var record in records)
        {
            var one = RecordParameters.Apply(record, names, output);
            if (one == IscsiError.Success)
                database.WriteNode(record);
            else if (rc == IscsiError.Success)
                rc = one;
        }
        if (rc != IscsiError.Success)
            output.Error($"Could not execute operation on all records: {IscsiErrors.Message(rc)}");
        return rc;
    }

    private async Task<IscsiError> DeleteNodesAsync(NodePattern pattern, CancellationToken ct)
    {
        var records = MatchedRecords(pattern);
        if (records is null)
            return IscsiError.NoObjectsFound;
        var sessions = await logins.ListOrEmptyAsync(ct);
        var rc = IscsiError.Success;
        foreach (var r in records)
        {
            if (sessions.Any(s => SessionLogins.UsesRecord(s, r)))
            {
                output.Error($"This command will remove the record [iface: {r.IfaceName}, target: {r.TargetName}, portal: {r.Address},{r.Port}], but a session is using it. Logout session then rerun command to remove record.");
                rc = IscsiError.SessionExists;
                continue;
            }
            database.DeleteNode(r);
        }
        if (rc != IscsiError.Success)
            output.Error($"Could not execute operation on all records: {IscsiErrors.Message(rc)}");
        return rc;
    }

    /// <summary>add_static_recs: -o new with -T and -p makes a static record with the defaults.</summary>
    private IscsiError AddStaticRecord(IscsiAdmOptions o, NodePattern pattern)
    {
        if (pattern.TargetName.Length == 0 || pattern.Address.Length == 0)
        {
            output.Error($"Error while adding record: {IscsiErrors.Message(IscsiError.NoObjectsFound)}");
            return IscsiError.NoObjectsFound;
        }
        var record = NodeRecord.Create(pattern.TargetName, pattern.Address, pattern.Port, o.Tpgt, pattern.IfaceName.Length > 0 ? pattern.IfaceName : "default");
        record.DiscoveryType = "static";
        var warnings = new List<string>();
        foreach (var p in o.Parameters)
            record.Update(p.Key, p.Value, warnings);
        database.WriteNode(record);
        output.Write(string.Create(CultureInfo.InvariantCulture,
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
            output.Error($"Invalid loginall option {mode}.");
            return IscsiError.InvalidArgument;
        }
        // onboot records are logged in by the initramfs, never by -L (login_by_startup).
        var records = database.ReadAllNodes().Where(r => StartupMatches(r, mode) && !(mode == "all" && r.Startup == "onboot")).ToList();
        if (records.Count == 0)
        {
            output.Error("No records found");
            return IscsiError.NoObjectsFound;
        }
        return await logins.LoginAllAsync(records, ct);
    }

    private async Task<IscsiError> LogoutByStartupAsync(string mode, CancellationToken ct)
    {
        if (!IsStartupMode(mode))
        {
            output.Error($"Invalid logoutall option {mode}.");
            return IscsiError.InvalidArgument;
        }
        var records = database.ReadAllNodes();
        bool Select(SessionInfo s)
        {
            if (mode == "all")
                return true;
            var r = records.FirstOrDefault(r => SessionLogins.UsesRecord(s, r));
            return r is not null && StartupMatches(r, mode) && r.Startup != "onboot";
        }
        return await logins.LogoutMatchingAsync(Select, ct);
    }

    private async Task<IscsiError> LoginPortalsAsync(NodePattern pattern, CancellationToken ct)
    {
        var records = MatchedRecords(pattern);
        if (records is null)
            return IscsiError.NoObjectsFound;
        return await logins.LoginAllAsync(records, ct);
    }
}
