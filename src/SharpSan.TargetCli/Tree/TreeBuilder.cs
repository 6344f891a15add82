using SharpSan.Config;

namespace SharpSan.TargetCli.Tree;

/// <summary>Builds targetcli's tree, with its summaries, from the daemon's configuration.</summary>
internal static class TreeBuilder
{
    public static readonly string[] Plugins = ["block", "fileio", "pscsi", "ramdisk"];

    public static TreeNode Build(SanConfig config, Func<string, ulong?> sizeProbe)
    {
        var root = new TreeNode("/", NodeKind.Root, null) { Summary = "", Healthy = null };
        var backstores = new TreeNode("backstores", NodeKind.Backstores, root);
        foreach (var plugin in Plugins)
        {
            var bs = new TreeNode(plugin, NodeKind.Backstore, backstores) { Plugin = plugin };
            var count = 0;
            foreach (var so in config.StorageObjects.Where(s => s.Plugin == plugin))
            {
                count++;
                var node = new TreeNode(so.Name, NodeKind.StorageObject, bs)
                {
                    Plugin = plugin,
                    StorageObject = so,
                    Summary = StorageObjectSummary(config, so, sizeProbe),
                    Healthy = true,
                };
                BuildAluaGroups(node, so);
            }
            bs.Summary = $"Storage Objects: {count}";
        }

        var iscsi = new TreeNode("iscsi", NodeKind.Iscsi, root) { Summary = IscsiSummary(config, out var discHealthy), Healthy = discHealthy };
        foreach (var target in config.Targets.Where(t => t.Fabric == "iscsi"))
        {
            var t = new TreeNode(target.Wwn, NodeKind.Target, iscsi) { Target = target, Summary = $"TPGs: {target.Tpgs.Count}" };
            foreach (var tpg in target.Tpgs)
                BuildTpg(config, t, target, tpg);
        }
        _ = new TreeNode("loopback", NodeKind.Loopback, root) { Summary = "Targets: 0" };
        return root;
    }

    /// <summary>targetcli-fb's UIALUATargetPortGroups: "ALUA Groups: N", each group "ALUA state: NAME";
    /// default_tg_pt_gp is there whether or not the file lists it, as LIO creates it with the object.</summary>
    private static void BuildAluaGroups(TreeNode node, StorageObjectConfig so)
    {
        var alua = new TreeNode("alua", NodeKind.AluaGroups, node) { Plugin = so.Plugin, StorageObject = so };
        var groups = AluaGroupsOf(so);
        foreach (var g in groups)
            _ = new TreeNode(g.Name, NodeKind.AluaGroup, alua)
            {
                Plugin = so.Plugin, StorageObject = so, AluaGroupName = g.Name,
                Summary = $"ALUA state: {AluaGroupConfig.StateName(g.AluaAccessState)}", Healthy = true,
            };
        alua.Summary = $"ALUA Groups: {groups.Count}";
    }

    /// <summary>A storage object's groups as LIO has them: the listed ones and default_tg_pt_gp.</summary>
    public static List<AluaGroupConfig> AluaGroupsOf(StorageObjectConfig so)
    {
        var groups = new List<AluaGroupConfig>(so.AluaGroups);
        if (so.Plugin != "pscsi" && !groups.Any(g => g.Name == AluaGroupConfig.DefaultName))
            groups.Insert(0, new AluaGroupConfig());
        return groups;
    }

    private static void BuildTpg(SanConfig config, TreeNode parent, TargetConfig target, TpgConfig tpg)
    {
        var node = new TreeNode($"tpg{tpg.Tag}", NodeKind.Tpg, parent) { Target = target, Tpg = tpg };
        (node.Summary, node.Healthy) = TpgSummary(tpg);

        var acls = new TreeNode("acls", NodeKind.Acls, node) { Target = target, Tpg = tpg, Summary = $"ACLs: {tpg.NodeAcls.Count}" };
        foreach (var acl in tpg.NodeAcls)
        {
            var a = new TreeNode(acl.NodeWwn, NodeKind.Acl, acls) { Target = target, Tpg = tpg, Acl = acl };
            (a.Summary, a.Healthy) = AclSummary(tpg, acl);
            foreach (var mlun in acl.MappedLuns)
            {
                var lun = tpg.Luns.FirstOrDefault(l => l.Index == mlun.TpgLun);
                var so = lun is null ? null : FindStorageObject(config, lun.StorageObject);
                _ = new TreeNode($"mapped_lun{mlun.Index}", NodeKind.MappedLun, a)
                {
                    Target = target, Tpg = tpg, Acl = acl, MappedLun = mlun,
                    Summary = lun is null || so is null ? "BROKEN LUN LINK" : $"lun{lun.Index} {so.Plugin}/{so.Name} ({(mlun.WriteProtect ? "ro" : "rw")})",
                    Healthy = lun is not null && so is not null,
                };
            }
        }

        var luns = new TreeNode("luns", NodeKind.Luns, node) { Target = target, Tpg = tpg, Summary = $"LUNs: {tpg.Luns.Count}" };
        foreach (var lun in tpg.Luns)
        {
            var so = FindStorageObject(config, lun.StorageObject);
            string summary;
            if (so is null)
                summary = "BROKEN STORAGE LINK";
            else
            {
                summary = $"{so.Plugin}/{so.Name}";
                if (so.Dev.Length > 0)
                    summary += $" ({so.Dev})";
                summary += $" ({lun.AluaTgPtGp})";
            }
            _ = new TreeNode($"lun{lun.Index}", NodeKind.Lun, luns) { Target = target, Tpg = tpg, Lun = lun, Summary = summary, Healthy = so is not null };
        }

        var portals = new TreeNode("portals", NodeKind.Portals, node) { Target = target, Tpg = tpg, Summary = $"Portals: {tpg.Portals.Count}" };
        foreach (var portal in tpg.Portals)
        {
            _ = new TreeNode(PortalName(portal), NodeKind.Portal, portals)
            {
                Target = target, Tpg = tpg, Portal = portal,
                Summary = portal.Iser ? "iser" : portal.Offload ? "offload" : "",
                Healthy = true,
            };
        }
    }

    public static string PortalName(PortalConfig portal)
        => portal.IpAddress.Contains(':') ? $"[{portal.IpAddress}]:{portal.Port}" : $"{portal.IpAddress}:{portal.Port}";

    public static StorageObjectConfig? FindStorageObject(SanConfig config, string path)
        => config.StorageObjects.FirstOrDefault(s => s.Path == path);

    public static bool IsNullIo(StorageObjectConfig so)
        => so.ExtraFields.TryGetValue("nullio", out var n) && n is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static string StorageObjectSummary(SanConfig config, StorageObjectConfig so, Func<string, ulong?> sizeProbe)
    {
        var used = config.Targets.Any(t => t.Tpgs.Any(g => g.Luns.Any(l => l.StorageObject == so.Path)));
        var status = used ? "activated" : "deactivated";
        string Size()
        {
            var size = so.Size > 0 ? so.Size : so.Dev.Length > 0 ? sizeProbe(so.Dev) : null;
            return size is { } s ? Sizes.ToHuman(s) : "unknown size";
        }
        var wb = so.WriteBack ? "write-back" : "write-thru";
        if (so.Device.IsCd) // SharpSAN's CD-ROM: its image, or that the drive is empty
            return so.Device.MediumPresent ? $"{so.Dev} ({Size()}) cd {status}" : $"cd, no medium {status}";
        return so.Plugin switch
        {
            "block" => $"{so.Dev} ({Size()}) {(so.Readonly ? "ro " : "")}{wb} {status}",
            "fileio" => $"{so.Dev} ({Size()}) {wb} {status}",
            "ramdisk" => $"{(IsNullIo(so) ? "nullio " : "")}({Size()}) {status}",
            _ => $"{so.Dev} {status}",
        };
    }

    private static string IscsiSummary(SanConfig config, out bool? healthy)
    {
        healthy = null;
        var parts = new List<string>();
        var auth = config.DiscoveryAuth;
        if (auth.Enable)
        {
            healthy = auth.Password.Length > 0 && auth.UserId.Length > 0;
            parts.Add(auth.MutualUserId.Length > 0 && auth.MutualPassword.Length > 0 ? "mutual disc auth" : "1-way disc auth");
        }
        parts.Add($"Targets: {config.Targets.Count(t => t.Fabric == "iscsi")}");
        return string.Join(", ", parts);
    }

    private static (string, bool?) TpgSummary(TpgConfig tpg)
    {
        if (!tpg.Enable)
            return ("disabled", false);
        bool? status = null;
        var msg = new List<string> { tpg.GenerateNodeAcls ? "gen-acls" : "no-gen-acls" };
        if (!tpg.Authentication)
        {
            msg.Add("no-auth");
            if (tpg.GenerateNodeAcls)
                status = true;
        }
        else if (!tpg.GenerateNodeAcls)
            msg.Add("auth per-acl");
        else
        {
            msg.Add("tpg-auth");
            status = tpg.ChapPassword.Length > 0 && tpg.ChapUserId.Length > 0;
            msg.Add(tpg.ChapMutualUserId.Length > 0 && tpg.ChapMutualPassword.Length > 0 ? "mutual auth" : "1-way auth");
        }
        return (string.Join(", ", msg), status);
    }

    private static (string, bool?) AclSummary(TpgConfig tpg, NodeAclConfig acl)
    {
        bool? status = null;
        var msg = new List<string>();
        if (tpg.Authentication)
        {
            if (tpg.GenerateNodeAcls)
                msg.Add("auth via tpg");
            else
            {
                status = acl.ChapPassword.Length > 0 && acl.ChapUserId.Length > 0;
                msg.Add(acl.ChapMutualUserId.Length > 0 && acl.ChapMutualPassword.Length > 0 ? "mutual auth" : "1-way auth");
            }
        }
        msg.Add($"Mapped LUNs: {acl.MappedLuns.Count}");
        return (string.Join(", ", msg), status);
    }
}
