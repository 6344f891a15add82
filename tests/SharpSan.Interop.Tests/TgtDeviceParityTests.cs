using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>
/// tgt's devices side by side: Debian's tgtd with a cd LUN, and out/bin/sharpsand with the same target
/// as tgtadm makes it (controller at LUN 0, a cd with tgt's SCSI ID, SN and strings). libiscsi's
/// iscsi-inq must print the same identity for both. Accepted differences, not compared: the VERSION
/// (tgt claims SPC-3, SharpSAN SPC-4) and version descriptors (tgt: SBC-3 for its controller, MMC-3;
/// SharpSAN: SAM-5, SPC-4, SCC-2 or MMC-6, iSCSI), the VPD page list (tgt lists the block device pages
/// B0h-B2h for every device type), and the VPD 83h designators other than tgt's T10 vendor ID (tgt's
/// two NAA derived from tid and LUN; SharpSAN's NAA from the storage object's wwn and its port ones).
/// </summary>
public sealed class TgtDeviceParityTests : IDisposable
{
    private const string Target = "iqn.2026-11.io.sharpsan.test:tgt-parity";
    private readonly TempDirectory _temp = new(prefix: "sharpsan-tgtparity-");
    private readonly int _port = FreePort.Next();
    private TargetProcess? _target;

    private string _dir => _temp.Path;

    public void Dispose()
    {
        _target?.Dispose();
        _temp.Dispose();
    }

    /// <summary>What tgtadm --op new --mode logicalunit --tid 1 --lun 2 --device-type cd -b ISO makes.</summary>
    private void ServeAsTgtWould(string iso)
    {
        var c = new SanConfig();
        c.StorageObjects.Add(new StorageObjectConfig
        {
            Plugin = "fileio", Name = TgtTargetConfig.StorageObjectName(1, 2), Dev = iso, Size = (ulong)new FileInfo(iso).Length,
            BlockSize = 2048, Wwn = Guid.NewGuid().ToString(),
            Device = new DeviceConfig
            {
                DeviceType = DeviceConfig.Cd, VendorId = "IET", ProductId = "VIRTUAL-CDROM", ProductRevision = "0001",
                ScsiId = "IET     00010002", ScsiSerial = "beaf12",
            },
        });
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = _port });
        tpg.Luns.Add(new LunConfig { Index = 2, StorageObject = c.StorageObjects[0].Path });
        var t = new TargetConfig { Wwn = Target, Tgt = new TgtTargetConfig { Tid = 1 } };
        t.Tgt.InitiatorAddresses.Add("ALL");
        t.Tpgs.Add(tpg);
        c.Targets.Add(t);
        _target = TargetProcess.Start(c, _dir, _port);
    }

    /// <summary>The identity lines of INQUIRY, VPD 80h and the T10 designator of VPD 83h.</summary>
    private static List<string> Identity(string url)
    {
        var lines = new List<string>();
        foreach (var args in new[] { new[] { url }, ["-e", "1", "-c", "128", url], ["-e", "1", "-c", "131", url] })
        {
            var r = Tool.Run("iscsi-inq", args);
            Assert.True(r.ExitCode == 0, r.ToString());
            var output = r.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
            lines.AddRange(output.Where(l => l.StartsWith("Peripheral Device Type:", StringComparison.Ordinal) || l.StartsWith("Removable:", StringComparison.Ordinal)
                || l.StartsWith("TPGS:", StringComparison.Ordinal) || l.StartsWith("Vendor:", StringComparison.Ordinal) || l.StartsWith("Product:", StringComparison.Ordinal)
                || l.StartsWith("Revision:", StringComparison.Ordinal) || l.StartsWith("Unit Serial Number:", StringComparison.Ordinal)));
            int t10 = output.FindIndex(l => l.Contains("T10_VENDORT_ID", StringComparison.Ordinal));
            if (t10 >= 0 && t10 + 1 < output.Count)
                lines.Add(output[t10 + 1]);
        }
        return lines;
    }

    [TgtFact]
    public async Task The_controller_and_a_cd_look_the_same_as_on_tgtd()
    {
        CdImage.Require();
        Tool.Require("iscsi-inq");
        var iso = CdImage.Make(_dir, "image", 100, 7);
        ServeAsTgtWould(iso);
        await using var tgt = await TgtdProcess.StartAsync(controlPort: 21761);
        var add = Tool.Run("tgtadm", "-C", "21761", "--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "2",
            "--device-type", "cd", "-b", iso);
        Assert.True(add.ExitCode == 0, add.ToString());

        foreach (var lun in new[] { 0, 2 })
        {
            var theirs = Identity($"iscsi://127.0.0.1:{tgt.Port}/{TgtdProcess.TargetName}/{lun}");
            var ours = Identity($"iscsi://127.0.0.1:{_port}/{Target}/{lun}");
            Assert.Equal(theirs, ours);
        }

        Assert.Contains("Designator:[IET     00010000]", Identity($"iscsi://127.0.0.1:{_port}/{Target}/0"));
    }
}
