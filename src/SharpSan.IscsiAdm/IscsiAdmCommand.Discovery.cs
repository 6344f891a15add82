using System.Globalization;
using SharpSan.Initiator;
using SharpSan.IscsiAdm.Cli;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm;

public sealed partial class IscsiAdmCommand
{
    private const int DefaultPort = 3260;

    private enum DiscoveryKind { None, SendTargets, Slp, Isns, Firmware, Unknown }

    private static DiscoveryKind KindOf(string? type) => type switch
    {
        null => DiscoveryKind.None,
        "sendtargets" or "st" => DiscoveryKind.SendTargets,
        "slp" => DiscoveryKind.Slp,
        "isns" => DiscoveryKind.Isns,
        "fw" => DiscoveryKind.Firmware,
        _ => DiscoveryKind.Unknown,
    };

    /// <summary>exec_disc_op: -m discovery.</summary>
    private async Task<IscsiError> DiscoveryModeAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        switch (KindOf(o.DiscoveryType))
        {
            case DiscoveryKind.SendTargets:
                if (o.PortalAddress is null)
                {
                    Error("Please specify portal as <ipaddr>[:<ipport>]");
                    return IscsiError.InvalidArgument;
                }
                var port = o.Port < 0 ? DefaultPort : o.Port;
                // discovery mode starts from the defaults; an existing st_config keeps its settings
                // (credentials set with discoverydb -o update are used for the SendTargets login).
                var record = _db.ReadSendTargets(o.PortalAddress, port) ?? DiscoveryRecord.Create(o.PortalAddress, port);
                return await SendTargetsAsync(record, o, ct);
            case DiscoveryKind.Slp:
                Error("SLP discovery is not fully implemented yet.");
                return IscsiError.InvalidArgument;
            case DiscoveryKind.Isns:
                Error("iSNS discovery is not supported by SharpSAN");
                return IscsiError.IsnsUnavailable;
            case DiscoveryKind.Firmware:
                return NotSupported("fw discovery needs iBFT/OF firmware boot support, which SharpSAN does not have yet");
        }
        var op = o.Operations;
        if (o.PortalAddress is not null)
        {
            var port = o.Port < 0 ? DefaultPort : o.Port;
            var record = _db.ReadSendTargets(o.PortalAddress, port);
            if (record is null)
            {
                Error(string.Create(CultureInfo.InvariantCulture, $"Discovery record [{o.PortalAddress},{port}] not found!"));
                return IscsiError.InvalidArgument;
            }
            if (o.Discover || o.Login)
                return await SendTargetsAsync(record, o, ct);
            if (op is NodeOperation.None or NodeOperation.Show)
            {
                _out.Write(record.Format(o.ShowSecrets ? RecordFormatMode.ShowSecrets : RecordFormatMode.ShowMasked));
                return IscsiError.Success;
            }
            if (op == NodeOperation.Delete)
            {
                DeleteDiscovery(record);
                return IscsiError.Success;
            }
            if (op is NodeOperation.Update or NodeOperation.New)
            {
                Error("Operations new and update for discovery mode is not supported. Use discoverydb mode.");
                return IscsiError.InvalidArgument;
            }
            Error("Invalid operation.");
            return IscsiError.InvalidArgument;
        }
        if (op is NodeOperation.None or NodeOperation.Show)
            return PrintAllDiscovery(o.PrintLevel) > 0 ? IscsiError.Success : IscsiError.NoObjectsFound;
        Error("Invalid operation.");
        return IscsiError.InvalidArgument;
    }

    /// <summary>exec_disc2_op: -m discoverydb, over the stored sendtargets records.</summary>
    private async Task<IscsiError> DiscoveryDbModeAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        var kind = KindOf(o.DiscoveryType);
        if (kind is DiscoveryKind.None or DiscoveryKind.Unknown)
        {
            if (o.PortalAddress is null && o.Operations is NodeOperation.None or NodeOperation.Show)
                return PrintAllDiscovery(o.PrintLevel) > 0 ? IscsiError.Success : IscsiError.NoObjectsFound;
            Error("Invalid discovery type.");
            return IscsiError.InvalidArgument;
        }
        if (kind != DiscoveryKind.SendTargets)
            return await DiscoveryModeAsync(o, ct);
        if (o.PortalAddress is null)
        {
            Error("Invalid discovery type.");
            return IscsiError.InvalidArgument;
        }
        var port = o.Port < 0 ? DefaultPort : o.Port;
        var record = _db.ReadSendTargets(o.PortalAddress, port);
        var op = o.Operations;
        if (op.HasFlag(NodeOperation.New))
        {
            record ??= DiscoveryRecord.Create(o.PortalAddress, port);
            _db.WriteSendTargets(record);
            op &= ~NodeOperation.New;
            if (op == NodeOperation.None && !o.Discover && !o.Login)
                return IscsiError.Success;
        }
        if (record is null)
        {
            Error(string.Create(CultureInfo.InvariantCulture, $"Discovery record [{o.PortalAddress},{port}] not found."));
            return IscsiError.NoObjectsFound;
        }
        if (op.HasFlag(NodeOperation.Update))
        {
            if (o.Parameters.Count == 0)
            {
                Error("update requires name and value");
                return IscsiError.InvalidArgument;
            }
            var rc = UpdateRecord(record, o.Parameters);
            if (rc != IscsiError.Success)
            {
                Error("Unable to update discovery record!");
                return rc;
            }
            _db.WriteSendTargets(record);
            op &= ~NodeOperation.Update;
        }
        if (op.HasFlag(NodeOperation.Delete) && !o.Discover)
        {
            DeleteDiscovery(record);
            return IscsiError.Success;
        }
        if (o.Discover || o.Login)
            return await SendTargetsAsync(record, o, ct);
        if (op is NodeOperation.None or NodeOperation.Show)
            _out.Write(record.Format(o.ShowSecrets ? RecordFormatMode.ShowSecrets : RecordFormatMode.ShowMasked));
        return IscsiError.Success;
    }

    /// <summary>idbm_delete_discovery: the st_config and the node records found through it.</summary>
    private void DeleteDiscovery(DiscoveryRecord record)
    {
        foreach (var n in _db.ReadAllNodes())
            if (n.DiscoveryType == "send_targets" && n.DiscoveryAddress == record.Address && n.DiscoveryPort == record.Port)
                _db.DeleteNode(n);
        _db.DeleteSendTargets(record.Address, record.Port);
    }

    /// <summary>
    /// do_software_sendtargets + exec_disc_op_on_recs: ask the target, then (without -o, all of
    /// new/delete/update) drop records this portal no longer reports, add new ones with the
    /// defaults, keep existing ones as they are, print the portals, and log in with -l.
    /// </summary>
    private async Task<IscsiError> SendTargetsAsync(DiscoveryRecord drec, IscsiAdmOptions o, CancellationToken ct)
    {
        var op = o.Operations == NodeOperation.None ? NodeOperation.New | NodeOperation.Delete | NodeOperation.Update : o.Operations;
        var persist = !op.HasFlag(NodeOperation.NonPersistent);
        if (persist && _db.ReadSendTargets(drec.Address, drec.Port) is null)
            _db.WriteSendTargets(drec);

        IReadOnlyList<DiscoveredTarget> targets;
        try
        {
            targets = await _discovery.SendTargetsAsync(drec.Address, drec.Port, drec.Auth, ct);
        }
        catch (IscsiAdmException e)
        {
            if (e.Message.Length > 0)
                Error(e.Message);
            Error($"Could not perform SendTargets discovery: {IscsiErrors.Message(e.Error)}");
            return e.Error;
        }

        var ifaceName = o.Ifaces.FirstOrDefault() ?? "default";
        var found = new List<NodeRecord>();
        foreach (var target in targets)
        {
            foreach (var portalText in target.TargetAddresses)
            {
                var (address, port, tag) = Portal.Parse(portalText);
                var rec = NodeRecord.Create(target.TargetName, address, port < 0 ? DefaultPort : port, tag < 0 ? 1 : tag, ifaceName);
                rec.DiscoveryAddress = drec.Address;
                rec.DiscoveryPort = drec.Port;
                rec.DiscoveryType = "send_targets";
                found.Add(rec);
            }
        }
        if (found.Count == 0)
        {
            Error("No portals found");
            return IscsiError.NoObjectsFound;
        }

        if (persist && op.HasFlag(NodeOperation.Delete))
        {
            foreach (var stale in _db.ReadAllNodes())
            {
                if (stale.DiscoveryType != "send_targets" || stale.DiscoveryAddress != drec.Address || stale.DiscoveryPort != drec.Port)
                    continue;
                if (!found.Any(f => f.TargetName == stale.TargetName && f.Address == stale.Address && f.Port == stale.Port && f.Tpgt == stale.Tpgt && f.IfaceName == stale.IfaceName))
                    _db.DeleteNode(stale);
            }
        }
        var toLogin = new List<NodeRecord>();
        foreach (var rec in found)
        {
            var existing = _db.ReadAllNodes().FirstOrDefault(n => n.TargetName == rec.TargetName && n.Address == rec.Address
                && n.Port == rec.Port && n.Tpgt == rec.Tpgt && n.IfaceName == rec.IfaceName);
            if (existing is null && persist && (op.HasFlag(NodeOperation.New) || op.HasFlag(NodeOperation.Update)))
                _db.WriteNode(rec);
            toLogin.Add(existing ?? rec);
        }

        if (o.PrintLevel == 1)
        {
            PrintNodeTree(found, "", withIface: true);
        }
        else if (o.PrintLevel is 0 or -1)
        {
            foreach (var rec in found)
                _out.Write(string.Create(CultureInfo.InvariantCulture, $"{rec.PortalText},{rec.Tpgt} {rec.TargetName}\n"));
        }
        if (!o.Login)
            return IscsiError.Success;
        return await LoginRecordsAsync(toLogin, ct);
    }

    /// <summary>idbm_print_all_discovery; returns how many entries were printed.</summary>
    private int PrintAllDiscovery(int level)
    {
        var records = _db.ReadAllSendTargets();
        if (level < 1)
        {
            foreach (var d in records)
                _out.Write(string.Create(CultureInfo.InvariantCulture, $"{d.Address}:{d.Port} via sendtargets\n"));
            return records.Count;
        }
        var nodes = _db.ReadAllNodes();
        var found = 0;
        _out.Write("SENDTARGETS:\n");
        foreach (var d in records)
        {
            _out.Write(string.Create(CultureInfo.InvariantCulture, $"DiscoveryAddress: {d.Address},{d.Port}\n"));
            PrintNodeTree(nodes.Where(n => n.DiscoveryType == "send_targets" && n.DiscoveryAddress == d.Address && n.DiscoveryPort == d.Port), "", withIface: true);
            found++;
        }
        if (records.Count == 0)
            _out.Write("No targets found.\n");
        _out.Write("iSNS:\nNo targets found.\n");
        foreach (var (title, type) in new[] { ("STATIC", "static"), ("FIRMWARE", "fw") })
        {
            _out.Write(title + ":\n");
            var list = nodes.Where(n => n.DiscoveryType == type).ToList();
            if (list.Count == 0)
                _out.Write("No targets found.\n");
            PrintNodeTree(list, "", withIface: true);
            found += list.Count;
        }
        return found;
    }
}
