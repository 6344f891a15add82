using SharpSan.Config;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SharpSan.Interop.Tests;

/// <summary>
/// One daemon for the interop tests: a demo-mode target with fileio (512 and 4096-byte blocks) and
/// ramdisk LUNs, a CHAP-protected target with one-way and mutual CHAP ACLs, and an ACL target with a
/// write-protected mapping.
/// </summary>
public sealed class TargetFixture : IDisposable
{
    public const string Open = "iqn.2026-11.io.sharpsan.test:open";
    public const string Secure = "iqn.2026-11.io.sharpsan.test:secure";
    public const string Guarded = "iqn.2026-11.io.sharpsan.test:guarded";
    public const string ChapClient = "iqn.2026-11.io.sharpsan.test:chap-client";
    public const string MutualClient = "iqn.2026-11.io.sharpsan.test:mutual-client";
    public const string Reader = "iqn.2026-11.io.sharpsan.test:reader";
    public const string Writer = "iqn.2026-11.io.sharpsan.test:writer";
    public const string Stranger = "iqn.2026-11.io.sharpsan.test:stranger";
    /// <summary>An ACL-only target for the conformance runs that need other LUNs: a 4 KiB ramdisk, a
    /// write-protected and a removable disk, the SANITIZE LUNs, open to libiscsi's two initiator names of those runs only.</summary>
    public const string Conformance = "iqn.2026-11.io.sharpsan.test:conformance";
    public const string ConformanceInitiator = "iqn.2026-11.io.sharpsan.test:cu-1";
    public const string ConformanceInitiator2 = "iqn.2026-11.io.sharpsan.test:cu-2";
    public const int Ramdisk4kLun = 0;
    public const int ReadOnlyLun = 1;
    public const int RemovableLun = 2;
    /// <summary>A thin fileio LUN for libiscsi's SANITIZE suite (-S erases it whole).</summary>
    public const int SanitizeLun = 3;
    /// <summary>A 4 GiB thin ramdisk for Sanitize.Reset: its zero-pattern OVERWRITE runs 32 s at the
    /// 128 MiB/s sanitize pace and allocates nothing (the ramdisk zeroes no chunk it never held).</summary>
    public const int SanitizeResetLun = 4;
    public const string ChapUser = "chapuser";
    public const string ChapSecret = "chap-secret-123";
    public const string MutualUser = "targetuser";
    public const string MutualSecret = "target-secret-456";

    public TargetFixture()
    {
        Dir = Directory.CreateTempSubdirectory("sharpsan-interop-").FullName;
        Port = FreePort.Next();
        Config = BuildConfig(Dir, Port);
        Target = TargetProcess.Start(Config, Dir, Port);
    }

    public string Dir { get; }
    public int Port { get; }
    public SanConfig Config { get; }
    internal TargetProcess Target { get; }

    public string Url(string target, int lun) => $"iscsi://127.0.0.1:{Port}/{target}/{lun}";

    public string Portal => $"iscsi://127.0.0.1:{Port}/";

    internal static SanConfig BuildConfig(string dir, int port)
    {
        var c = new SanConfig();
        void Backstore(string plugin, string name, ulong size, int blockSize = 512, bool writeBack = true) =>
            c.StorageObjects.Add(new StorageObjectConfig
            {
                Plugin = plugin,
                Name = name,
                Dev = plugin == "fileio" ? Path.Combine(dir, name + ".img") : "",
                Size = size,
                BlockSize = blockSize,
                WriteBack = plugin == "fileio" && writeBack,
                Wwn = Guid.NewGuid().ToString(),
            });
        static void Thin(StorageObjectConfig so)
        {
            so.ExtraAttributes["emulate_tpu"] = System.Text.Json.Nodes.JsonValue.Create(1);
            so.ExtraAttributes["emulate_tpws"] = System.Text.Json.Nodes.JsonValue.Create(1);
        }

        Backstore("fileio", "disk1", 300UL << 20);
        Backstore("ramdisk", "rd1", 64UL << 20);
        Backstore("fileio", "disk4k", 32UL << 20, 4096);
        Backstore("fileio", "wt", 16UL << 20, writeBack: false);
        Backstore("fileio", "secure", 16UL << 20);
        Backstore("fileio", "guarded", 16UL << 20);
        // The conformance LUNs are thin (LIO's emulate_tpu=1, emulate_tpws=1) so the provisioning suites run.
        Backstore("fileio", "conformance", 128UL << 20);
        Thin(c.StorageObjects[^1]);
        Backstore("ramdisk", "rd4k", 64UL << 20, 4096);
        Thin(c.StorageObjects[^1]);
        Backstore("fileio", "cu-ro", 16UL << 20);
        c.StorageObjects[^1].Device.Readonly = true;
        Backstore("fileio", "cu-rmb", 16UL << 20);
        c.StorageObjects[^1].Device.Removable = true;
        Backstore("fileio", "cu-sanitize", 64UL << 20);
        Thin(c.StorageObjects[^1]);
        Backstore("ramdisk", "cu-sanitize-reset", 4UL << 30);
        Thin(c.StorageObjects[^1]);
        // Thin provisioned (LIO's emulate_tpu=1, emulate_tpws=1): UNMAP, WRITE SAME with UNMAP, LBPME.
        Backstore("fileio", "thin", 64UL << 20);
        Thin(c.StorageObjects[^1]);

        TpgConfig Tpg(TargetConfig t)
        {
            var tpg = new TpgConfig { Tag = 1, Enable = true };
            // ACL-only TPGs stay out of other initiators' SendTargets only with demo_mode_discovery=0
            // (LIO lists them otherwise); demo-mode TPGs are listed either way.
            tpg.ExtraAttributes["demo_mode_discovery"] = System.Text.Json.Nodes.JsonValue.Create(0);
            tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
            t.Tpgs.Add(tpg);
            c.Targets.Add(t);
            return tpg;
        }

        var open = Tpg(new TargetConfig { Wwn = Open });
        open.GenerateNodeAcls = true;
        open.DemoModeWriteProtect = false;
        open.Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/fileio/disk1" });
        open.Luns.Add(new LunConfig { Index = 1, StorageObject = "/backstores/ramdisk/rd1" });
        open.Luns.Add(new LunConfig { Index = 2, StorageObject = "/backstores/fileio/disk4k" });
        open.Luns.Add(new LunConfig { Index = 3, StorageObject = "/backstores/fileio/wt" });
        open.Luns.Add(new LunConfig { Index = 4, StorageObject = "/backstores/fileio/conformance" });
        open.Luns.Add(new LunConfig { Index = 5, StorageObject = "/backstores/fileio/thin" });

        var secure = Tpg(new TargetConfig { Wwn = Secure });
        secure.Authentication = true;
        secure.Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/fileio/secure" });
        var oneWay = new NodeAclConfig { NodeWwn = ChapClient, ChapUserId = ChapUser, ChapPassword = ChapSecret };
        oneWay.MappedLuns.Add(new MappedLunConfig { Index = 0, TpgLun = 0 });
        secure.NodeAcls.Add(oneWay);
        var mutual = new NodeAclConfig
        {
            NodeWwn = MutualClient, ChapUserId = ChapUser, ChapPassword = ChapSecret,
            ChapMutualUserId = MutualUser, ChapMutualPassword = MutualSecret,
        };
        mutual.MappedLuns.Add(new MappedLunConfig { Index = 0, TpgLun = 0 });
        secure.NodeAcls.Add(mutual);

        var guarded = Tpg(new TargetConfig { Wwn = Guarded });
        guarded.Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/fileio/guarded" });
        var reader = new NodeAclConfig { NodeWwn = Reader };
        reader.MappedLuns.Add(new MappedLunConfig { Index = 0, TpgLun = 0, WriteProtect = true });
        guarded.NodeAcls.Add(reader);
        var writer = new NodeAclConfig { NodeWwn = Writer };
        writer.MappedLuns.Add(new MappedLunConfig { Index = 5, TpgLun = 0 });
        guarded.NodeAcls.Add(writer);
        var conformance = Tpg(new TargetConfig { Wwn = Conformance });

        // iscsi-test-cu (libiscsi 1.19) offers HeaderDigest=None,CRC32C whatever its URL says, so the
        // target asks for CRC32C alone (RFC 7143 13.1: the first of the initiator's values it supports);
        // it offers DataDigest=None only, so data digests cannot be asked of it.
        conformance.Parameters["HeaderDigest"] = "CRC32C";
        conformance.Luns.Add(new LunConfig { Index = Ramdisk4kLun, StorageObject = "/backstores/ramdisk/rd4k" });
        conformance.Luns.Add(new LunConfig { Index = ReadOnlyLun, StorageObject = "/backstores/fileio/cu-ro" });
        conformance.Luns.Add(new LunConfig { Index = RemovableLun, StorageObject = "/backstores/fileio/cu-rmb" });
        conformance.Luns.Add(new LunConfig { Index = SanitizeLun, StorageObject = "/backstores/fileio/cu-sanitize" });
        conformance.Luns.Add(new LunConfig { Index = SanitizeResetLun, StorageObject = "/backstores/ramdisk/cu-sanitize-reset" });
        foreach (var name in new[] { ConformanceInitiator, ConformanceInitiator2 })
        {
            var acl = new NodeAclConfig { NodeWwn = name };
            foreach (var lun in new[] { Ramdisk4kLun, ReadOnlyLun, RemovableLun, SanitizeLun, SanitizeResetLun })
                acl.MappedLuns.Add(new MappedLunConfig { Index = (ulong)lun, TpgLun = (ulong)lun });
            conformance.NodeAcls.Add(acl);
        }

        return c;
    }

    public void Dispose()
    {
        Target.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition("target")]
public sealed class TargetCollection : ICollectionFixture<TargetFixture>
{
}
