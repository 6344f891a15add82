using SharpSan.Initiator;
using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>A SendTargets discovery through a discovery record, and what it does to the node records.</summary>
internal sealed class SendTargetsDiscovery(NodeDatabase database, IDiscoveryBackend discovery, SessionLogins logins, CommandOutput output)
{
    public const int DefaultPort = 3260;

    /// <summary>
    /// do_software_sendtargets + exec_disc_op_on_recs: ask the target, then (without -o, all of
    /// new/delete/update) drop records this portal no longer reports, add new ones with the
    /// defaults, keep existing ones as they are, print the portals, and log in with -l.
    /// </summary>
    public async Task<IscsiError> RunAsync(DiscoveryRecord drec, IscsiAdmOptions o, CancellationToken ct)
    {
        var op = o.Operations == NodeOperation.None ? NodeOperation.New | NodeOperation.Delete | NodeOperation.Update : o.Operations;
        var persist = !op.HasFlag(NodeOperation.NonPersistent);
        if (persist && database.ReadSendTargets(drec.Address, drec.Port) is null)
            database.WriteSendTargets(drec);

        IReadOnlyList<DiscoveredTarget> targets;
        try
        {
            targets = await discovery.SendTargetsAsync(drec.Address, drec.Port, drec.Auth, ct);
        }
        catch (IscsiAdmException e)
        {
            if (e.Message.Length > 0)
                output.Error(e.Message);
            output.Error($"Could not perform SendTargets discovery: {IscsiErrors.Message(e.Error)}");
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
            output.Error("No portals found");
            return IscsiError.NoObjectsFound;
        }

        if (persist && op.HasFlag(NodeOperation.Delete))
        {
            foreach (var stale in database.ReadAllNodes())
            {
                if (stale.DiscoveryType != "send_targets" || stale.DiscoveryAddress != drec.Address || stale.DiscoveryPort != drec.Port)
                    continue;
                if (!found.Any(f => SameNode(f, stale)))
                    database.DeleteNode(stale);
            }
        }
        var toLogin = new List<NodeRecord>();
        foreach (var rec in found)
        {
            var existing = database.ReadAllNodes().FirstOrDefault(n => SameNode(n, rec));
            if (existing is null && persist && (op.HasFlag(NodeOperation.New) || op.HasFlag(NodeOperation.Update)))
                database.WriteNode(rec);
            toLogin.Add(existing ?? rec);
        }

        if (o.PrintLevel == 1)
            output.NodeTree(found, "", withIface: true);
        else if (o.PrintLevel is 0 or -1)
            output.NodeList(found);
        if (!o.Login)
            return IscsiError.Success;
        return await logins.LoginAsync(toLogin, ct);
    }

    /// <summary>The record's lookup keys: target, portal, tpgt, iface.</summary>
    private static bool SameNode(NodeRecord a, NodeRecord b) =>
        a.TargetName == b.TargetName && a.Address == b.Address && a.Port == b.Port && a.Tpgt == b.Tpgt && a.IfaceName == b.IfaceName;
}
