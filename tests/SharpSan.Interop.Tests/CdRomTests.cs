using System.Diagnostics;
using System.Text.Json.Nodes;
using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>
/// An ISO made with xorriso, exported as a CD by out/bin/sharpsand, read by independent initiators:
/// qemu-img (bytes identical), QEMU's scsi-cd (a CD with its medium), SeaBIOS booting it through
/// scsi-block (its MMC commands passed through to our drive), libiscsi's tools; and the medium changed
/// live with out/bin/targetcli.
/// </summary>
public sealed class CdRomTests : IDisposable
{
    private const string Target = "iqn.2026-11.io.sharpsan.test:cd";
    private readonly TempDirectory _temp = new(prefix: "sharpsan-cd-");
    private readonly int _port = FreePort.Next();
    private TargetProcess? _target;

    private string _dir => _temp.Path;

    public void Dispose()
    {
        _target?.Dispose();
        _temp.Dispose();
    }

    private string Url => $"iscsi://127.0.0.1:{_port}/{Target}/0";

    /// <summary>The daemon serving <paramref name="iso"/> as a cd at LUN 0 of a demo-mode target.</summary>
    private void Serve(string iso)
    {
        var c = new SanConfig();
        c.StorageObjects.Add(new StorageObjectConfig
        {
            Plugin = "fileio", Name = "iso1", Dev = iso, Size = (ulong)new FileInfo(iso).Length, BlockSize = 2048,
            Wwn = Guid.NewGuid().ToString(), Device = new DeviceConfig { DeviceType = DeviceConfig.Cd },
        });
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = _port });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/fileio/iso1" });
        var t = new TargetConfig { Wwn = Target };
        t.Tpgs.Add(tpg);
        c.Targets.Add(t);
        _target = TargetProcess.Start(c, _dir, _port);
    }

    [Fact]
    public void An_iso_reads_back_identically_through_qemu_img()
    {
        CdImage.Require();
        Tool.Require("qemu-img");
        var iso = CdImage.Make(_dir, "image", 1500, 1);
        Serve(iso);
        var back = Path.Combine(_dir, "back.raw");
        var r = Tool.Run("qemu-img", ["convert", "-f", "raw", "-O", "raw", Url, back], TimeSpan.FromMinutes(5));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(File.ReadAllBytes(iso), File.ReadAllBytes(back));
    }

    [Fact]
    public void Qemu_scsi_cd_over_iscsi_sees_a_cd_with_its_medium()
    {
        CdImage.Require();
        Requirement.SkipUnlessMet(Requirement.Tools("qemu-system-x86_64"));
        var iso = CdImage.Make(_dir, "image", 300, 2);
        Serve(iso);
        var output = Qmp("-drive", $"file={Url},if=none,id=cd0,media=cdrom,format=raw,readonly=on", "-device", "scsi-cd,drive=cd0,bus=scsi0.0");
        var blocks = output.Select(l => JsonNode.Parse(l)!).First(n => n["return"] is JsonArray)["return"]!.AsArray();
        var cd = blocks.First(b => (string?)b!["device"] == "cd0")!;
        Assert.True((bool)cd["removable"]!);
        Assert.False((bool)cd["tray_open"]!);
        Assert.True((bool)cd["inserted"]!["ro"]!);
        Assert.Equal(new FileInfo(iso).Length, (long)cd["inserted"]!["image"]!["virtual-size"]!);
    }

    [Fact]
    public void Seabios_boots_the_cd_through_scsi_block_passthrough()
    {
        CdImage.Require();
        Requirement.SkipUnlessMet(Requirement.Tools("qemu-system-x86_64"));
        Serve(CdImage.Make(_dir, "boot", 100, 3));
        var log = Path.Combine(_dir, "debugcon.log");
        var psi = Qemu("-drive", $"file={Url},if=none,id=cd0,format=raw,readonly=on", "-device", "scsi-block,drive=cd0,bus=scsi0.0,bootindex=0",
            "-chardev", $"file,id=dbg,path={log}", "-device", "isa-debugcon,iobase=0x402,chardev=dbg");
        using var qemu = Process.Start(psi)!;
        qemu.OutputDataReceived += (_, _) => { };
        qemu.ErrorDataReceived += (_, _) => { };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();
        try
        {
            // SeaBIOS scans the drive (INQUIRY, TEST UNIT READY, READ CAPACITY), reads the El Torito boot
            // record, catalog and image with READ(10), and jumps to it; the image writes the marker.
            var deadline = Stopwatch.StartNew();
            while (!(File.Exists(log) && File.ReadAllText(log).Contains(CdImage.BootMarker)) && deadline.Elapsed < TimeSpan.FromSeconds(90) && !qemu.HasExited)
                Thread.Sleep(200);
            var text = File.Exists(log) ? File.ReadAllText(log) : "(no debug console output)";
            Assert.True(text.Contains(CdImage.BootMarker), text);
            Assert.Contains("type=5 removable=1", text);
        }
        finally
        {
            if (!qemu.HasExited) qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
        }
    }

    [Fact]
    public void Libiscsi_sees_an_mmc_drive_with_2048_byte_blocks()
    {
        CdImage.Require();
        Tool.Require("iscsi-inq", "iscsi-readcapacity16");
        var iso = CdImage.Make(_dir, "image", 300, 4);
        Serve(iso);
        var inq = Tool.Run("iscsi-inq", Url);
        Assert.True(inq.ExitCode == 0, inq.ToString());
        Assert.Contains("Peripheral Device Type:MMC", inq.Stdout);
        Assert.Contains("Removable:1", inq.Stdout);
        var pages = Tool.Run("iscsi-inq", "-e", "1", "-c", "0", Url);
        Assert.Equal(["Page:0x00 SUPPORTED_VPD_PAGES", "Page:0x80 UNIT_SERIAL_NUMBER", "Page:0x83 DEVICE_IDENTIFICATION"], Lines(pages.Stdout));
        var capacity = Tool.Run("iscsi-readcapacity16", Url);
        Assert.True(capacity.ExitCode == 0, capacity.ToString());
        Assert.Contains("LOGICAL BLOCK LENGTH IN BYTES:2048", capacity.Stdout);
        Assert.Contains($"Total size:{new FileInfo(iso).Length}", capacity.Stdout);
    }

    [Fact]
    public void Targetcli_ejects_and_loads_the_medium_of_the_live_drive()
    {
        CdImage.Require();
        Tool.Require("iscsi-readcapacity16", "qemu-img");
        Requirement.SkipUnlessMet(Requirement.BuiltExecutables("targetcli"));
        var first = CdImage.Make(_dir, "first", 300, 5);
        var second = CdImage.Make(_dir, "second", 900, 6);
        Serve(first);

        Assert.Equal("Ejected the medium of fileio/iso1.\n", TargetCli("/backstores/fileio/iso1", "eject"));
        var empty = Tool.Run("iscsi-readcapacity16", Url);
        Assert.NotEqual(0, empty.ExitCode); // NOT READY, MEDIUM NOT PRESENT
        Assert.Contains("cd, no medium activated", TargetCli("ls", "/backstores/fileio"));

        Assert.Equal($"Loaded {second} into fileio/iso1.\n", TargetCli("/backstores/fileio/iso1", "load", $"file_or_dev={second}"));
        Assert.Contains($"Total size:{new FileInfo(second).Length}", Tool.Run("iscsi-readcapacity16", Url).Stdout);
        var back = Path.Combine(_dir, "back.raw");
        var r = Tool.Run("qemu-img", ["convert", "-f", "raw", "-O", "raw", Url, back], TimeSpan.FromMinutes(5));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(File.ReadAllBytes(second), File.ReadAllBytes(back));
    }

    private string TargetCli(params string[] args)
    {
        var all = new List<string> { $"SHARPSAN_TARGETCLI_HOME={Path.Combine(_dir, "home")}", OutBin.Require("targetcli"), "--socket", _target!.ControlSocket };
        all.AddRange(args);
        var r = Tool.Run("env", all);
        Assert.True(r.ExitCode == 0, string.Join(' ', args) + "\n" + r);
        return r.Stdout;
    }

    /// <summary>QEMU with no guest running (-S), a virtio-scsi controller, the given devices, QMP on stdio:
    /// sends query-block then quit and returns the JSON lines it printed.</summary>
    private static List<string> Qmp(params string[] devices)
    {
        var psi = Qemu(["-S", "-qmp", "stdio", .. devices]);
        psi.RedirectStandardInput = true;
        using var qemu = Process.Start(psi)!;
        var stdout = qemu.StandardOutput.ReadToEndAsync();
        var stderr = qemu.StandardError.ReadToEndAsync();
        qemu.StandardInput.Write("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-block\"}\n{\"execute\":\"quit\"}\n");
        qemu.StandardInput.Close();
        if (!qemu.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
            Assert.Fail("qemu-system-x86_64 did not quit within 60 s: " + stderr.Result);
        }
        Assert.True(qemu.ExitCode == 0, stdout.Result + stderr.Result);
        return Lines(stdout.Result).Where(l => l.StartsWith('{')).ToList();
    }

    private static ProcessStartInfo Qemu(params string[] args)
    {
        var psi = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-M", "q35", "-nodefaults", "-display", "none", "-accel", "tcg", "-device", "virtio-scsi-pci,id=scsi0" }.Concat(args))
            psi.ArgumentList.Add(a);
        return psi;
    }

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
