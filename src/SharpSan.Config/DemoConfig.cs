using System.Security.Cryptography;
using System.Text;

namespace SharpSan.Config;

/// <summary>The built-in configuration `sharpsand --demo` serves: one 1 GiB thin fileio LUN on 127.0.0.1:3260, open to any initiator.</summary>
public static class DemoConfig
{
    public const string TargetName = "iqn.2026-11.io.sharpsan:demo";
    public const string BackstoreName = "demo";
    public const ulong Size = 1UL << 30;

    public static SanConfig Create(string stateDir)
    {
        var config = new SanConfig();
        var demo = new StorageObjectConfig
        {
            Plugin = LioFormat.FileIo,
            Name = BackstoreName,
            Dev = System.IO.Path.Combine(stateDir, "demo.img"),
            Size = Size,
            // LIO's fileio default; durability still holds because FUA and SYNCHRONIZE CACHE are honoured.
            WriteBack = true,
            Wwn = UnitSerial(TargetName + "/" + BackstoreName),
            BlockSize = 512,
        };
        // The file is sparse, so the LUN is thin (LIO's emulate_tpu/emulate_tpws): UNMAP, WRITE SAME with
        // UNMAP and GET LBA STATUS work, and a client's fstrim or blkdiscard gives the space back.
        demo.ExtraAttributes[LioStorageAttributes.EmulateTpu.Name] = 1;
        demo.ExtraAttributes[LioStorageAttributes.EmulateTpws.Name] = 1;
        config.StorageObjects.Add(demo);

        var tpg = new TpgConfig
        {
            Tag = 1,
            Enable = true,
            Authentication = false,
            GenerateNodeAcls = true,
            DemoModeWriteProtect = false,
            CacheDynamicAcls = true,
        };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = 3260 });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = $"/backstores/{LioFormat.FileIo}/{BackstoreName}" });

        var target = new TargetConfig { Fabric = LioFormat.IscsiFabric, Wwn = TargetName };
        target.Tpgs.Add(tpg);
        config.Targets.Add(target);
        return config;
    }

    /// <summary>
    /// A name-based (RFC 9562 version 5 style) UUID, so the demo LUN keeps the same VPD serial across
    /// restarts and machines — initiators (multipath, udev by-id links) key on it.
    /// </summary>
    internal static string UnitSerial(string name)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes("sharpsan-unit-serial:" + name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return Convert.ToHexStringLower(hash[..16]) switch
        {
            var h => $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..32]}",
        };
    }
}
