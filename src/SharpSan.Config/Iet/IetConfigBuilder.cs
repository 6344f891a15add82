using System.Text.Json.Nodes;
using SharpSan.Platform;

namespace SharpSan.Config;

/// <summary>
/// Builds the configuration tree from a parsed ietd.conf. Each IET target becomes a tgt-style target
/// (<see cref="TgtTargetConfig"/>, tid in file order, no controller LUN: IET's LUN 0 is an ordinary
/// disk) with one TPG, tag 1 (IET answers TargetPortalGroupTag=1), on the given portals, open to every
/// initiator its access rules admit (generate_node_acls=1, LUNs writable); IncomingUser/OutgoingUser
/// become tgt accounts bound to it, the global ones discovery authentication. Each LUN becomes a
/// storage object named "iet{tid}_lun{lun}" presenting IET's identity (vendor IET, product
/// VIRTUAL-DISK, revision 0) and a unit serial derived from target name and LUN, so it stays the same
/// across restarts and imports.
/// </summary>
internal static class IetConfigBuilder
{
    // kernel/iscsi.h VENDOR_ID, PRODUCT_ID, PRODUCT_REV: what IET's INQUIRY reports.
    public const string VendorId = "IET", ProductId = "VIRTUAL-DISK", ProductRevision = "0";

    public static string StorageObjectName(int tid, ulong lun) => $"iet{tid}_lun{lun}";

    public static (SanConfig Config, List<string> Notes) Build(IetdFile file, string source, IetAccessMapper access, IetdOptions options)
    {
        var notes = new List<string>(file.Notes);
        var config = new SanConfig();
        var portals = Portals(options);
        Discovery(file, source, config, notes);
        var accounts = new Dictionary<string, IetAccount>(StringComparer.Ordinal);
        var tid = Math.Max(1, options.FirstTid);
        foreach (var t in file.Targets)
            config.Targets.Add(Target(t, tid++, source, config, accounts, access, portals, notes));
        notes.AddRange(access.UnusedLines());
        try
        {
            ConfigValidator.Validate(config, source);
        }
        catch (ConfigException ex)
        {
            // Everything above checks what the validator checks; this is the safety net, not a path.
            throw IetError.In(source, $"{ex.Reason} ({ex.JsonPath})");
        }
        return (config, notes);
    }

    /// <summary>ietd.conf(5): global IncomingUser accounts authenticate discovery sessions ("If no
    /// IncomingUser is specified, any initiator is allowed to open a discovery session"), the global
    /// OutgoingUser is the target's answer to mutual CHAP there.</summary>
    private static void Discovery(IetdFile file, string source, SanConfig config, List<string> notes)
    {
        if (file.DiscoveryIncoming.Count > 1)
            throw IetError.At(source, file.DiscoveryIncoming[1].Line,
                $"a second discovery IncomingUser ({file.DiscoveryIncoming[1].User}): SharpSAN's discovery authentication has one account (line {file.DiscoveryIncoming[0].Line})");
        var outgoing = file.DiscoveryOutgoing;
        if (file.DiscoveryIncoming.Count == 0)
        {
            if (outgoing is not null)
                notes.Add($"{source}:{outgoing.Line}: OutgoingUser {outgoing.User}: unused, as in IET: discovery needs no CHAP without an IncomingUser");
            return;
        }
        var incoming = file.DiscoveryIncoming[0];
        config.DiscoveryAuth = new DiscoveryAuthConfig
        {
            Enable = true,
            UserId = incoming.User,
            Password = incoming.Secret,
            MutualUserId = outgoing?.User ?? "",
            MutualPassword = outgoing?.Secret ?? "",
        };
    }

    private static TargetConfig Target(IetTarget t, int tid, string source, SanConfig config, Dictionary<string, IetAccount> accounts,
        IetAccessMapper access, List<PortalConfig> portals, List<string> notes)
    {
        var tgt = new TgtTargetConfig { Tid = tid, ControllerLun = false };
        access.Apply(t.Name, tgt);
        foreach (var a in t.IncomingUsers)
            tgt.IncomingUsers.Add(Account(a, source, config, accounts));
        if (t.OutgoingUser is { } o)
        {
            tgt.OutgoingUser = Account(o, source, config, accounts);
            if (t.IncomingUsers.Count == 0)
                notes.Add($"{source}:{o.Line}: OutgoingUser {o.User}: unused, as in IET: mutual CHAP follows an IncomingUser login, and target {t.Name} has none");
        }

        var tpg = new TpgConfig { Tag = 1, Enable = true, GenerateNodeAcls = true, DemoModeWriteProtect = false, CacheDynamicAcls = true };
        foreach (var p in portals)
            tpg.Portals.Add(new PortalConfig { IpAddress = p.IpAddress, Port = p.Port });
        foreach (var (key, value) in t.Parameters)
            tpg.Parameters[key] = value;
        CheckBursts(t, source);
        if (t.QueuedCommands is { } window)
            tpg.ExtraAttributes[LioAttributes.DefaultCmdsnDepth.Name] = JsonValue.Create(window);
        foreach (var lun in t.Luns)
        {
            var so = StorageObject(t.Name, tid, lun, source, notes);
            config.StorageObjects.Add(so);
            tpg.Luns.Add(new LunConfig { Index = lun.Number, StorageObject = so.Path });
        }

        var target = new TargetConfig { Fabric = LioFormat.IscsiFabric, Wwn = t.Name, Tgt = tgt };
        target.Tpgs.Add(tpg);
        return target;
    }

    /// <summary>IET keeps accounts per target; the tree keeps tgt's daemon-wide account list, bound to
    /// targets by user name, so one user name must have one secret across the file.</summary>
    private static string Account(IetAccount a, string source, SanConfig config, Dictionary<string, IetAccount> accounts)
    {
        if (accounts.TryGetValue(a.User, out var first))
        {
            if (first.Secret != a.Secret)
                throw IetError.At(source, a.Line,
                    $"user {a.User} has another secret on line {first.Line}: SharpSAN keeps one secret per CHAP user name (as tgt's accounts); use different user names");
            return a.User;
        }
        if (a.User.Any(char.IsControl) || a.Secret.Any(char.IsControl))
            throw IetError.At(source, a.Line, $"user {a.User}: control characters in the user name or secret");
        accounts.Add(a.User, a);
        config.Tgt.Accounts.Add(new TgtAccountConfig { User = a.User, Password = a.Secret });
        return a.User;
    }

    /// <summary>RFC 7143 §13.14: "FirstBurstLength MUST NOT exceed MaxBurstLength".</summary>
    private static void CheckBursts(IetTarget t, string source)
    {
        if (t.Parameters.TryGetValue("FirstBurstLength", out var first) && t.Parameters.TryGetValue("MaxBurstLength", out var max)
            && long.Parse(first, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(max, System.Globalization.CultureInfo.InvariantCulture))
            throw IetError.At(source, t.ParameterLines["FirstBurstLength"], $"FirstBurstLength {first} exceeds MaxBurstLength {max} (RFC 7143 §13.14)");
    }

    /// <summary>
    /// Type=blockio serves a block device (LIO's "block"); Type=fileio serves a file, and since IET's
    /// fileio also took block devices ("any block device ... or regular files", ietd.conf(5)) while
    /// SharpSAN's fileio takes regular files only, a fileio Path that is a block device becomes a block
    /// storage object. IOMode: wt (IET's default) is write-through, wb write-back (ignored for blockio,
    /// as IET does), ro read-only.
    /// </summary>
    private static StorageObjectConfig StorageObject(string target, int tid, IetLun lun, string source, List<string> notes)
    {
        string Fail(string reason) => throw IetError.At(source, lun.Line, $"Lun {lun.Number}: {reason}");
        if (Directory.Exists(lun.Path))
            Fail($"Path {lun.Path} is a directory");
        var block = FileKind.IsBlockDevice(lun.Path);
        if (!block && !File.Exists(lun.Path))
            Fail($"Path {lun.Path} does not exist");
        if (lun.Type == "blockio" && !block)
            Fail($"Type=blockio needs a block device; {lun.Path} is not one (use Type=fileio for a file)");

        ulong size = 0;
        if (!block)
        {
            var length = (ulong)new FileInfo(lun.Path).Length;
            if (length < (ulong)lun.BlockSize)
                Fail($"{lun.Path} is {length} bytes, smaller than one {lun.BlockSize}-byte block");
            // IET serves size >> block shift blocks: a partial last block is left out. So is it here.
            if (length % (ulong)lun.BlockSize != 0)
            {
                size = length - length % (ulong)lun.BlockSize;
                notes.Add($"{source}:{lun.Line}: Lun {lun.Number}: {lun.Path} is {length} bytes; the last partial block is not served (size {size}), as in IET");
            }
        }
        if (lun.IoMode == "wb" && lun.Type == "blockio")
            notes.Add($"{source}:{lun.Line}: Lun {lun.Number}: IOMode=wb is ignored for blockio, as in IET (writes go through)");

        var readOnly = lun.IoMode == "ro";
        var so = new StorageObjectConfig
        {
            Plugin = block ? LioFormat.Block : LioFormat.FileIo,
            Name = StorageObjectName(tid, lun.Number),
            Dev = lun.Path,
            Size = size,
            WriteBack = lun.IoMode == "wb" && lun.Type == "fileio",
            Wwn = DemoConfig.UnitSerial($"{target}/{lun.Number}"),
            BlockSize = lun.BlockSize,
            // LIO's own readonly flag exists for block only; the device flag covers every plugin.
            Readonly = readOnly && block,
        };
        so.Device.VendorId = VendorId;
        so.Device.ProductId = ProductId;
        so.Device.ProductRevision = ProductRevision;
        // IET reports ScsiId after its 8-character vendor field (volume->scsi_id = "IET     " + id).
        so.Device.ScsiId = lun.ScsiId.Length > 0 ? VendorId.PadRight(8) + lun.ScsiId : "";
        so.Device.ScsiSerial = lun.ScsiSerial;
        so.Device.Readonly = readOnly;
        return so;
    }

    private static List<PortalConfig> Portals(IetdOptions options)
    {
        var list = new List<PortalConfig>();
        foreach (var text in options.Portals.Count > 0 ? options.Portals : [IetdOptions.DefaultPortal])
        {
            if (!ConfigValidator.TryParsePortal(text, out var ep))
                throw new ArgumentException($"portal \"{text}\" is not IP:PORT (IPv6 in brackets)");
            if (!list.Exists(p => p.IpAddress == ep.Address.ToString() && p.Port == ep.Port))
                list.Add(new PortalConfig { IpAddress = ep.Address.ToString(), Port = ep.Port });
        }
        return list;
    }
}
