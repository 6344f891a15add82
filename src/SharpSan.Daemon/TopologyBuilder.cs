using System.Net;
using SharpSan.Config;
using SharpSan.Protocol;
using SharpSan.Target.Runtime;

namespace SharpSan.Daemon;

/// <summary>
/// Turns a validated configuration tree and its opened logical units into the target's topology:
/// the one place where LIO's attributes become the target's settings.
/// </summary>
internal static class TopologyBuilder
{
    public static TargetTopology Build(SanConfig config, LogicalUnitSet units)
    {
        var d = config.DiscoveryAuth;
        var discoveryChap = d.UserId.Length > 0 ? new ChapCredentials(d.UserId, d.Password, d.MutualUserId, d.MutualPassword) : null;
        var rtpis = AluaDefinition.RelativePortIds(config);
        return new TargetTopology(config.Targets.Select(t => BuildTarget(t, units, config.Tgt, rtpis)), discoveryChap, d.Enable);
    }

    private static IscsiTargetNode BuildTarget(TargetConfig t, LogicalUnitSet units, TgtSystemConfig system, Dictionary<(string, ushort), ushort> rtpis)
    {
        var node = new IscsiTargetNode(t.Wwn);
        foreach (var tc in t.Tpgs)
        {
            var tpg = BuildTpg(node, tc, units, t.Tgt, system, rtpis[(t.Wwn, tc.Tag)]);
            // tgt's controller at LUN 0 of its one TPG (the validator keeps LUN 0 free for it).
            if (units.Controller(t.Wwn) is { } controller)
                tpg.Luns[0] = controller;
            node.Tpgs.Add(tpg);
        }
        return node;
    }

    private static TargetPortalGroup BuildTpg(IscsiTargetNode node, TpgConfig tc, LogicalUnitSet units, TgtTargetConfig? tgt, TgtSystemConfig system, ushort rtpi)
    {
        var chapAccounts = tgt is null ? [] : TgtChapAccounts(tgt, system);
        var tpg = new TargetPortalGroup(node, tc.Tag)
        {
            RelativeTargetPortId = rtpi,
            Enabled = tc.Enable,
            // tgt asks for CHAP exactly when incoming accounts are bound to the target.
            AuthenticationRequired = tc.Authentication || chapAccounts.Count > 0,
            GenerateNodeAcls = tc.GenerateNodeAcls,
            DemoModeWriteProtect = tc.DemoModeWriteProtect,
            // Absent: the daemon's own window (TargetOptions.CommandWindow).
            CommandWindow = LioAttributes.DefaultCmdsnDepth.ValueIn(tc.ExtraAttributes) ?? 0,
            ProdModeWriteProtect = (LioAttributes.ProdModeWriteProtect.ValueIn(tc.ExtraAttributes) ?? LioAttributes.ProdModeWriteProtect.Default) == 1,
            DemoModeDiscovery = (LioAttributes.DemoModeDiscovery.ValueIn(tc.ExtraAttributes) ?? LioAttributes.DemoModeDiscovery.Default) == 1,
            DemoChap = Chap(tc.ChapUserId, tc.ChapPassword, tc.ChapMutualUserId, tc.ChapMutualPassword),
            EnabledSendTargets = (LioAttributes.TpgEnabledSendTargets.ValueIn(tc.ExtraAttributes) ?? LioAttributes.TpgEnabledSendTargets.Default) == 1,
            Access = tgt is null ? null : TgtAccess(tgt),
            ChapAccounts = chapAccounts,
            Offline = tgt is not null && tgt.State == TgtSystemConfig.Offline,
            RefusesLogins = tgt is not null && system.State == TgtSystemConfig.Offline,
        };
        foreach (var (k, v) in tc.Parameters) tpg.Parameters[k] = v;
        foreach (var p in tc.Portals)
            tpg.Portals.Add(new IPEndPoint(IPAddress.Parse(p.IpAddress.Trim('[', ']')), p.Port));
        foreach (var l in tc.Luns)
        {
            if (!units.Units.TryGetValue(l.StorageObject, out var entry))
                throw new InvalidOperationException($"LUN {l.Index} of {node.Name} tpg {tc.Tag}: no storage object {l.StorageObject}");
            tpg.Luns[l.Index] = entry.Unit;
        }
        foreach (var a in tc.NodeAcls)
        {
            var mapped = a.MappedLuns.Select(m => new MappedLun(m.Index, m.TpgLun, m.WriteProtect)).ToList();
            int? nopin = LioAttributes.NopInTimeout.ValueIn(a.ExtraAttributes);
            int? nopinResponse = LioAttributes.NopInResponseTimeout.ValueIn(a.ExtraAttributes);
            tpg.Acls[a.NodeWwn] = new NodeAcl(a.NodeWwn, Chap(a.ChapUserId, a.ChapPassword, a.ChapMutualUserId, a.ChapMutualPassword), mapped)
            {
                NopInInterval = nopin is { } i ? TimeSpan.FromSeconds(i) : null,
                NopInTimeout = nopinResponse is { } r ? TimeSpan.FromSeconds(r) : null,
            };
        }
        return tpg;
    }

    /// <summary>tgt's address and name ACL of a target (validated: every entry parses).</summary>
    private static InitiatorAccessList TgtAccess(TgtTargetConfig tgt)
    {
        var denied = tgt.HasDenyRules ? List(tgt.DeniedAddresses, tgt.DeniedNames, null) : null;
        return List(tgt.InitiatorAddresses, tgt.InitiatorNames, denied);

        static InitiatorAccessList List(List<string> addresses, List<string> names, InitiatorAccessList? denied)
        {
            var rules = addresses.Select(a => TgtAddressRule.TryParse(a, out var r) ? r : throw new InvalidOperationException($"bad address rule {a}")).ToList();
            return new InitiatorAccessList(rules.Any(r => r.All), rules.Where(r => !r.All).Select(r => r.Network), names, denied);
        }
    }

    /// <summary>tgt's incoming accounts of a target, each answering mutual CHAP with the outgoing one.</summary>
    private static List<ChapCredentials> TgtChapAccounts(TgtTargetConfig tgt, TgtSystemConfig system)
    {
        var outgoing = tgt.OutgoingUser.Length > 0 ? system.FindAccount(tgt.OutgoingUser) : null;
        var list = new List<ChapCredentials>();
        foreach (var user in tgt.IncomingUsers)
        {
            if (system.FindAccount(user) is { } a)
                list.Add(new ChapCredentials(a.User, a.Password, outgoing?.User ?? "", outgoing?.Password ?? ""));
        }
        return list;
    }

    private static ChapCredentials? Chap(string user, string secret, string mutualUser, string mutualSecret) =>
        user.Length > 0 ? new ChapCredentials(user, secret, mutualUser, mutualSecret) : null;
}
