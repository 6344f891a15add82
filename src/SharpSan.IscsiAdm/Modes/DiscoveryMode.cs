using System.Globalization;
using SharpSan.IscsiAdm.Cli;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>-m discovery and -m discoverydb over the stored sendtargets records.</summary>
internal sealed class DiscoveryMode(NodeDatabase database, SendTargetsDiscovery sendTargets, CommandOutput output)
{
    private static DiscoveryKind KindOf(string? type) => type switch
    {
        null => DiscoveryKind.None,
        "sendtargets" or "st" => DiscoveryKind.SendTargets,
        "slp" => DiscoveryKind.Slp,
        "isns" => DiscoveryKind.Isns,
        "fw" => DiscoveryKind.Firmware,
        _ => DiscoveryKind.Unknown,
    };

    private static int PortOf(IscsiAdmOptions o) => o.Port < 0 ? SendTargetsDiscovery.DefaultPort : o.Port;

    /// <summary>exec_disc_op: -m discovery.</summary>
    public async Task<IscsiError> RunAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        switch (KindOf(o.DiscoveryType))
        {
            case DiscoveryKind.SendTargets:
                if (o.PortalAddress is null)
                {
                    output.Error("Please specify portal as <ipaddr>[:<ipport>]");
                    return IscsiError.InvalidArgument;
                }
                var port = PortOf(o);
                // discovery mode starts from the defaults; an existing st_config keeps its settings
                // (credentials set with discoverydb -o update are used for the SendTargets login).
                var record = database.ReadSendTargets(o.PortalAddress, port) ?? DiscoveryRecord.Create(o.PortalAddress, port);
                return await sendTargets.RunAsync(record, o, ct);
            case DiscoveryKind.Slp:
                output.Error("SLP discovery is not fully implemented yet.");
                return IscsiError.InvalidArgument;
            case DiscoveryKind.Isns:
                output.Error("iSNS discovery is not supported by SharpSAN");
                return IscsiError.IsnsUnavailable;
            case DiscoveryKind.Firmware:
                return output.NotSupported("fw discovery needs iBFT/OF firmware boot support, which SharpSAN does not have yet");
        }
        var op = o.Operations;
        if (o.PortalAddress is not null)
        {
            var port = PortOf(o);
            var record = database.ReadSendTargets(o.PortalAddress, port);
            if (record is null)
            {
                output.Error(string.Create(CultureInfo.InvariantCulture, $"Discovery record [{o.PortalAddress},{port}] not found!"));
                return IscsiError.InvalidArgument;
            }
            if (await DiscoverOrShowAsync(record, op, o, ct) is IscsiError done)
                return done;
            if (op == NodeOperation.Delete)
            {
                DeleteDiscovery(record);
                return IscsiError.Success;
            }
            if (op is NodeOperation.Update or NodeOperation.New)
            {
                output.Error("Operations new and update for discovery mode is not supported. Use discoverydb mode.");
                return IscsiError.InvalidArgument;
            }
            output.Error("Invalid operation.");
            return IscsiError.InvalidArgument;
        }
        if (op is NodeOperation.None or NodeOperation.Show)
            return PrintAllDiscovery(o.PrintLevel) > 0 ? IscsiError.Success : IscsiError.NoObjectsFound;
        output.Error("Invalid operation.");
        return IscsiError.InvalidArgument;
    }

    /// <summary>exec_disc2_op: -m discoverydb, over the stored sendtargets records.</summary>
    public async Task<IscsiError> RunDbAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        var kind = KindOf(o.DiscoveryType);
        if (kind is DiscoveryKind.None or DiscoveryKind.Unknown)
        {
            if (o.PortalAddress is null && o.Operations is NodeOperation.None or NodeOperation.Show)
                return PrintAllDiscovery(o.PrintLevel) > 0 ? IscsiError.Success : IscsiError.NoObjectsFound;
            output.Error("Invalid discovery type.");
            return IscsiError.InvalidArgument;
        }
        if (kind != DiscoveryKind.SendTargets)
            return await RunAsync(o, ct);
        if (o.PortalAddress is null)
        {
            output.Error("Invalid discovery type.");
            return IscsiError.InvalidArgument;
        }
        var port = PortOf(o);
        var record = database.ReadSendTargets(o.PortalAddress, port);
        var op = o.Operations;
        if (op.HasFlag(NodeOperation.New))
        {
            record ??= DiscoveryRecord.Create(o.PortalAddress, port);
            database.WriteSendTargets(record);
            op &= ~NodeOperation.New;
            if (op == NodeOperation.None && !o.Discover && !o.Login)
                return IscsiError.Success;
        }
        if (record is null)
        {
            output.Error(string.Create(CultureInfo.InvariantCulture, $"Discovery record [{o.PortalAddress},{port}] not found."));
            return IscsiError.NoObjectsFound;
        }
        if (op.HasFlag(NodeOperation.Update))
        {
            if (o.Parameters.Count == 0)
            {
                output.Error("update requires name and value");
                return IscsiError.InvalidArgument;
            }
            var rc = RecordParameters.Apply(record, o.Parameters, output);
            if (rc != IscsiError.Success)
            {
                output.Error("Unable to update discovery record!");
                return rc;
            }
            database.WriteSendTargets(record);
            op &= ~NodeOperation.Update;
        }
        if (op.HasFlag(NodeOperation.Delete) && !o.Discover)
        {
            DeleteDiscovery(record);
            return IscsiError.Success;
        }
        return await DiscoverOrShowAsync(record, op, o, ct) ?? IscsiError.Success;
    }

    /// <summary>-D or -l discovers through the record; no operation (or show) prints it; null when neither applies.</summary>
    private async Task<IscsiError?> DiscoverOrShowAsync(DiscoveryRecord record, NodeOperation op, IscsiAdmOptions o, CancellationToken ct)
    {
        if (o.Discover || o.Login)
            return await sendTargets.RunAsync(record, o, ct);
        if (op is NodeOperation.None or NodeOperation.Show)
        {
            output.Record(record, o.ShowSecrets);
            return IscsiError.Success;
        }
        return null;
    }

    /// <summary>idbm_delete_discovery: the st_config and the node records found through it.</summary>
    private void DeleteDiscovery(DiscoveryRecord record)
    {
        foreach (var n in database.ReadAllNodes())
            if (n.DiscoveryType == "send_targets" && n.DiscoveryAddress == record.Address && n.DiscoveryPort == record.Port)
                database.DeleteNode(n);
        database.DeleteSendTargets(record.Address, record.Port);
    }

    /// <summary>idbm_print_all_discovery; returns how many entries were printed.</summary>
    private int PrintAllDiscovery(int level)
    {
        var records = database.ReadAllSendTargets();
        if (level < 1)
        {
            foreach (var d in records)
                output.Write(string.Create(CultureInfo.InvariantCulture, $"{d.Address}:{d.Port} via sendtargets\n"));
            return records.Count;
        }
        var nodes = database.ReadAllNodes();
        var found = 0;
        output.Write("SENDTARGETS:\n");
        foreach (var d in records)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"DiscoveryAddress: {d.Address},{d.Port}\n"));
            output.NodeTree(nodes.Where(n => n.DiscoveryType == "send_targets" && n.DiscoveryAddress == d.Address && n.DiscoveryPort == d.Port), "", withIface: true);
            found++;
        }
        if (records.Count == 0)
            output.Write("No targets found.\n");
        output.Write("iSNS:\nNo targets found.\n");
        foreach (var (title, type) in new[] { ("STATIC", "static"), ("FIRMWARE", "fw") })
        {
            output.Write(title + ":\n");
            var list = nodes.Where(n => n.DiscoveryType == type).ToList();
            if (list.Count == 0)
                output.Write("No targets found.\n");
            output.NodeTree(list, "", withIface: true);
            found += list.Count;
        }
        return found;
    }
}
