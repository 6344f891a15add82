namespace SharpSan.Config;

// The configuration object tree: the single source of truth for what the daemon serves.
// Shapes and names follow LIO's saveconfig.json (targetcli-fb / rtslib-fb) so files round-trip.

/// <summary>Root of the tree (saveconfig.json).</summary>
public sealed class SanConfig
{
    public List<StorageObjectConfig> StorageObjects { get; } = new();
    public List<TargetConfig> Targets { get; } = new();
    /// <summary>Discovery authentication (LIO: fabric_modules[iscsi].discovery_*).</summary>
    public DiscoveryAuthConfig DiscoveryAuth { get; set; } = new();
    /// <summary>tgt's daemon-wide state (accounts, state, portals); SharpSAN extension "sharpsan_tgt".</summary>
    public TgtSystemConfig Tgt { get; set; } = new();
    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}

public sealed class DiscoveryAuthConfig
{
    public bool Enable { get; set; }
    public string UserId { get; set; } = "";
    public string Password { get; set; } = "";
    public string MutualUserId { get; set; } = "";
    public string MutualPassword { get; set; } = "";
    /// <summary>Index of the "iscsi" entry in fabric_modules when read from a file, so errors name the right path.</summary>
    internal int SourceIndex { get; set; }
}

/// <summary>One backstore: storage_objects[i].</summary>
public sealed class StorageObjectConfig
{
    /// <summary>"fileio", "block", "ramdisk" (LIO "rd_mcp" is accepted as ramdisk), "pscsi".</summary>
    public string Plugin { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>File or device path (fileio, block, pscsi); empty for ramdisk.</summary>
    public string Dev { get; set; } = "";
    /// <summary>Size in bytes (fileio, ramdisk); 0 = take it from the file/device.</summary>
    public ulong Size { get; set; }
    /// <summary>fileio: cached writes honoured by SYNCHRONIZE CACHE/FUA (true) or write-through (false).</summary>
    public bool WriteBack { get; set; }
    /// <summary>Unit serial (a UUID string, as LIO writes it). Generated when absent.</summary>
    public string Wwn { get; set; } = "";
    /// <summary>attributes.block_size: 512 or 4096 (what the backstores serve; LIO would also take 1024 and 2048). Not used for pscsi (the device decides;
    /// LIO does not dump it there), where a block_size attribute, if any, stays in ExtraAttributes.</summary>
    public int BlockSize { get; set; } = 512;
    /// <summary>ramdisk only: LIO's "nullio" (reads zeros, writes dropped; tgt's --bstype null).</summary>
    public bool NullIo { get; set; }
    /// <summary>block only: LIO's format has no readonly flag for the other plugins.</summary>
    public bool Readonly { get; set; }
    /// <summary>The SCSI device presented (disk/CD, identity, flags); SharpSAN extension "sharpsan_device".</summary>
    public DeviceConfig Device { get; set; } = new();
    /// <summary>Every other attribute, kept so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraAttributes { get; } = new();
    /// <summary>"alua_tpgs": the ALUA target port groups, as listed (default_tg_pt_gp exists even when
    /// not listed; see <see cref="AluaGroupConfig"/>).</summary>
    public List<AluaGroupConfig> AluaGroups { get; } = new();

    /// <summary>The group named <paramref name="name"/>: a listed one, or LIO's default_tg_pt_gp when it is not listed.</summary>
    public AluaGroupConfig? FindAluaGroup(string name) =>
        AluaGroups.Find(g => g.Name == name) ?? (name == LioFormat.DefaultAluaGroup ? new AluaGroupConfig() : null);

    /// <summary>The path LUNs use to name it: "/backstores/fileio/disk1".</summary>
    public string Path => $"/backstores/{Plugin}/{Name}";

    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}

/// <summary>One iSCSI target: targets[i] with fabric "iscsi".</summary>
public sealed class TargetConfig
{
    public string Fabric { get; set; } = "iscsi";
    /// <summary>The target IQN.</summary>
    public string Wwn { get; set; } = "";
    public List<TpgConfig> Tpgs { get; } = new();
    /// <summary>Set for a target made the tgt way (tgtadm, targets.conf, ietd.conf); SharpSAN extension "sharpsan_tgt".</summary>
    public TgtTargetConfig? Tgt { get; set; }
    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}

public sealed class TpgConfig
{
    public ushort Tag { get; set; } = 1;
    public bool Enable { get; set; } = true;

    // attributes
    /// <summary>attributes.authentication: 1 = CHAP required.</summary>
    public bool Authentication { get; set; }
    /// <summary>attributes.generate_node_acls: 1 = demo mode, any initiator logs in and sees every TPG LUN.</summary>
    public bool GenerateNodeAcls { get; set; }
    /// <summary>attributes.demo_mode_write_protect: generated ACLs see LUNs read-only.</summary>
    public bool DemoModeWriteProtect { get; set; } = true;
    public bool CacheDynamicAcls { get; set; }
    /// <summary>Every other attribute, preserved.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraAttributes { get; } = new();

    /// <summary>TPG-wide CHAP credentials (LIO: tpg "chap_userid" etc., used with demo mode).</summary>
    public string ChapUserId { get; set; } = "";
    public string ChapPassword { get; set; } = "";
    public string ChapMutualUserId { get; set; } = "";
    public string ChapMutualPassword { get; set; } = "";

    /// <summary>parameters: iSCSI keys as strings (e.g. "MaxRecvDataSegmentLength": "8192", "TargetAlias": "LIO Target").</summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    public List<PortalConfig> Portals { get; } = new();
    public List<LunConfig> Luns { get; } = new();
    public List<NodeAclConfig> NodeAcls { get; } = new();
    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}

public sealed class PortalConfig
{
    /// <summary>Bare address literal: "0.0.0.0", "::0", "192.168.1.5". LIO writes IPv6 in brackets
    /// ("[::0]", targetcli's default portal); the reader strips them and the writer adds them back.</summary>
    public string IpAddress { get; set; } = "0.0.0.0";
    public int Port { get; set; } = 3260;
    public bool Iser { get; set; }
    public bool Offload { get; set; }
    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}

public sealed class LunConfig
{
    public ulong Index { get; set; }
    /// <summary>"/backstores/fileio/disk1".</summary>
    public string StorageObject { get; set; } = "";
    public string Alias { get; set; } = "";
    /// <summary>ALUA target port group name, "default_tg_pt_gp".</summary>
    public string AluaTgPtGp { get; set; } = "default_tg_pt_gp";
    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}

public sealed class NodeAclConfig
{
    /// <summary>Initiator IQN.</summary>
    public string NodeWwn { get; set; } = "";
    public string ChapUserId { get; set; } = "";
    public string ChapPassword { get; set; } = "";
    public string ChapMutualUserId { get; set; } = "";
    public string ChapMutualPassword { get; set; } = "";
    public List<MappedLunConfig> MappedLuns { get; } = new();
    /// <summary>Optional ACL group tag (rtslib NodeACL "tag"); empty = none.</summary>
    public string Tag { get; set; } = "";
    /// <summary>attributes, preserved.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraAttributes { get; } = new();
    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}

public sealed class MappedLunConfig
{
    /// <summary>The LUN number the initiator sees.</summary>
    public ulong Index { get; set; }
    /// <summary>The TPG LUN it maps to.</summary>
    public ulong TpgLun { get; set; }
    public bool WriteProtect { get; set; }
    /// <summary>Name of the configfs link (LIO writes a random 10-hex-digit alias); informational.</summary>
    public string Alias { get; set; } = "";
    /// <summary>Keys this model does not know (LIO version differences, e.g. fileio "aio", block "exclusive",
    /// "alua_tpgs"), kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);
}
