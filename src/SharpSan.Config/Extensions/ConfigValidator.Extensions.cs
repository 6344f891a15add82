using System.Net;
using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

// Checks of SharpSAN's own keys ("sharpsan_device", "sharpsan_tgt"); limits as tgt applies them
// (usr/spc.c: vendor 8, product 16, revision 4; usr/tgtd.h SCSI_ID_LEN / SCSI_SN_LEN 36).
public static partial class ConfigValidator
{
    /// <summary>MMC logical block length (MMC-6 4.2.2): a CD/DVD sector holds 2048 user bytes.</summary>
    public const int CdBlockSize = 2048;

    private static void ValidateDevice(Checker v, StorageObjectConfig so, string soPath)
    {
        var d = so.Device;
        var path = Prop(soPath, SaveConfigReader.DeviceKey);
        v.Require(d.DeviceType is DeviceConfig.Disk or DeviceConfig.Cd, Prop(path, "device_type"), $"device type \"{d.DeviceType}\" not supported (disk, cd)");
        if (d.IsCd)
        {
            v.Require(so.Plugin is LioFormat.FileIo or LioFormat.Block, Prop(path, "device_type"), $"a cd is backed by an image file or block device (fileio, block), not {so.Plugin}");
            v.Require(so.BlockSize == CdBlockSize, Prop(Prop(soPath, "attributes"), "block_size"), $"a cd has {CdBlockSize}-byte blocks, not {so.BlockSize}");
        }
        else
        {
            v.Require(d.MediumPresent, Prop(path, "medium_present"), "only a cd can be without a medium");
        }
        Text(v, d.VendorId, 8, Prop(path, "vendor_id"));
        Text(v, d.ProductId, 16, Prop(path, "product_id"));
        Text(v, d.ProductRevision, 4, Prop(path, "product_rev"));
        Text(v, d.ScsiId, 36, Prop(path, "scsi_id"));
        Text(v, d.ScsiSerial, 36, Prop(path, "scsi_sn"));
        v.Require(d.TgtBsType != "null" || so.NullIo, Prop(path, "tgt_bstype"), "tgt backing store type null is a nullio ramdisk");
        v.Require(d.TgtBsType is "" or "rdwr" or "aio" or "null" or "sg", Prop(path, "tgt_bstype"), $"tgt backing store type \"{d.TgtBsType}\" not supported (rdwr, aio, null)");
        v.Require(d.TgtBsType != "sg", Prop(path, "tgt_bstype"), "tgt backing store type \"sg\" (SCSI pass-through) is not supported by SharpSAN yet");
        foreach (var flag in d.TgtBsOFlags.Split(':', StringSplitOptions.RemoveEmptyEntries))
            v.Require(flag is "sync" or "direct", Prop(path, "tgt_bsoflags"), $"tgt backing store flag \"{flag}\" not supported (sync, direct)");
    }

    /// <summary>INQUIRY/VPD strings are printable ASCII (SPC-4 4.4.1).</summary>
    private static void Text(Checker v, string value, int max, string path)
    {
        v.Require(value.Length <= max, path, $"\"{value}\" is longer than {max} characters");
        v.Require(value.All(c => c is >= ' ' and <= '~'), path, $"\"{value}\" must be printable ASCII");
    }

    private static void ValidateTgt(Checker v, SanConfig config)
    {
        var sys = config.Tgt;
        var sysPath = Prop(Root, SaveConfigReader.TgtKey);
        v.Require(sys.State is TgtSystemConfig.Ready or TgtSystemConfig.Offline, Prop(sysPath, "state"), $"state \"{sys.State}\" is not ready or offline");
        var users = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sys.Accounts.Count; i++)
        {
            var a = sys.Accounts[i];
            var aPath = Item(sysPath, "accounts", i);
            v.Require(a.User.Length > 0 && !a.User.Any(char.IsControl), Prop(aPath, "user"), "empty user name or control characters");
            v.Require(a.Password.Length > 0, Prop(aPath, "password"), $"account {a.User} has no password");
            v.Require(users.Add(a.User), Prop(aPath, "user"), $"duplicate account {a.User}");
        }
        for (var i = 0; i < sys.Portals.Count; i++)
            v.Require(TryParsePortal(sys.Portals[i], out _), Index(Prop(sysPath, "portals"), i), $"portal \"{sys.Portals[i]}\" is not IP:PORT");

        var tids = new Dictionary<int, string>();
        for (var t = 0; t < config.Targets.Count; t++)
        {
            var tgt = config.Targets[t].Tgt;
            if (tgt is null) continue;
            var path = Prop(Item(Root, "targets", t), SaveConfigReader.TgtKey);
            v.Require(tgt.Tid > 0, Prop(path, "tid"), "tid must be 1 or more");
            v.Require(tids.TryAdd(tgt.Tid, path), Prop(path, "tid"), $"duplicate tid {tgt.Tid} (also at {(tids.TryGetValue(tgt.Tid, out var first) ? first : "")})");
            v.Require(config.Targets[t].Tpgs.Count == 1 && config.Targets[t].Tpgs[0].Tag == 1, Prop(path, "tid"), "a tgt target has one TPG, tag 1");
            v.Require(tgt.State is TgtSystemConfig.Ready or TgtSystemConfig.Offline, Prop(path, "state"), $"state \"{tgt.State}\" is not ready or offline");
            for (var i = 0; i < tgt.InitiatorAddresses.Count; i++)
                v.Require(TgtAddressRule.TryParse(tgt.InitiatorAddresses[i], out _), Index(Prop(path, "initiator_addresses"), i),
                    $"\"{tgt.InitiatorAddresses[i]}\" is not ALL, an IP address or an address/prefix");
            for (var i = 0; i < tgt.InitiatorNames.Count; i++)
                v.Require(tgt.InitiatorNames[i].Length > 0, Index(Prop(path, "initiator_names"), i), "empty initiator name");
            for (var i = 0; i < tgt.DeniedAddresses.Count; i++)
                v.Require(TgtAddressRule.TryParse(tgt.DeniedAddresses[i], out _), Index(Prop(path, "denied_addresses"), i),
                    $"\"{tgt.DeniedAddresses[i]}\" is not ALL, an IP address or an address/prefix");
            for (var i = 0; i < tgt.DeniedNames.Count; i++)
                v.Require(tgt.DeniedNames[i].Length > 0, Index(Prop(path, "denied_names"), i), "empty initiator name");
            for (var i = 0; i < tgt.IncomingUsers.Count; i++)
                v.Require(users.Contains(tgt.IncomingUsers[i]), Index(Prop(path, "incoming_users"), i), $"no account {tgt.IncomingUsers[i]}");
            v.Require(tgt.OutgoingUser.Length == 0 || users.Contains(tgt.OutgoingUser), Prop(path, "outgoing_user"), $"no account {tgt.OutgoingUser}");
            if (tgt.ControllerLun)
                RequireLunZeroFree(v, config.Targets[t], t);
        }
    }

    /// <summary>tgt's controller is LUN 0 of a tgt target (controller_lun): no storage object may take it.</summary>
    private static void RequireLunZeroFree(Checker v, TargetConfig target, int t)
    {
        for (var g = 0; g < target.Tpgs.Count; g++)
            for (var i = 0; i < target.Tpgs[g].Luns.Count; i++)
                v.Require(target.Tpgs[g].Luns[i].Index != 0, Prop(Item(Item(Item(Root, "targets", t), "tpgs", g), "luns", i), "index"),
                    "LUN 0 of a tgt target is its controller (controller_lun); use LUN 1 or more");
    }

    /// <summary>"IP:PORT" with IPv6 in brackets.</summary>
    public static bool TryParsePortal(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPEndPoint.TryParse(text, out var ep) || ep.Port == 0)
            return false;
        // IPEndPoint.TryParse takes a bare address as port 0 and a bare IPv6 with a colon-number as an address.
        if (ep.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !text.StartsWith('['))
            return false;
        endpoint = ep;
        return true;
    }
}

/// <summary>One tgt address ACL entry: ALL, an address, or a network (tgt usr/iscsi/target.c ip_match).</summary>
public readonly record struct TgtAddressRule(bool All, IPNetwork Network)
{
    public static bool TryParse(string text, out TgtAddressRule rule)
    {
        rule = default;
        if (text == "ALL")
        {
            rule = new TgtAddressRule(true, default);
            return true;
        }
        var s = text;
        string? prefix = null;
        var slash = s.LastIndexOf('/');
        if (slash >= 0) { prefix = s[(slash + 1)..]; s = s[..slash]; }
        if (s.StartsWith('[') && s.EndsWith(']')) s = s[1..^1];
        if (!IPAddress.TryParse(s, out var address))
            return false;
        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var bits = max;
        if (prefix is not null && (!int.TryParse(prefix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bits) || bits > max))
            return false;
        // IPNetwork requires the host bits clear; tgt masks both sides, so do the same.
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        rule = new TgtAddressRule(false, new IPNetwork(new IPAddress(bytes), bits));
        return true;
    }

    public bool Matches(IPAddress peer)
    {
        if (All) return true;
        if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
        return Network.Contains(peer);
    }
}
