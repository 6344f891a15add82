namespace SharpSan.Interop.Tests;

/// <summary>
/// ISO 9660 images made with xorriso for the CD-ROM tests: a few files of random bytes and an El Torito
/// no-emulation boot image whose 16-bit code writes a marker to QEMU's debug console (port 0x402) and
/// halts, so a BIOS booting from the CD proves it read the boot catalog and image through the drive.
/// </summary>
internal static class CdImage
{
    public const string BootMarker = "SHARPSAN-CD-BOOTED";

    /// <summary>Skips the calling test when xorriso is missing (scripts/install-test-deps.sh installs it).</summary>
    public static void Require() => Requirement.SkipUnlessMet(Requirement.Tools("xorriso"));

    /// <summary>Makes <paramref name="name"/>.iso in <paramref name="dir"/> with <paramref name="kib"/> KiB of
    /// random data (seeded), bootable; returns its path.</summary>
    public static string Make(string dir, string name, int kib, int seed)
    {
        var source = Directory.CreateDirectory(Path.Combine(dir, name + "-src")).FullName;
        var data = new byte[kib * 1024];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "data.bin"), data);
        File.WriteAllText(Path.Combine(source, "readme.txt"), $"SharpSAN CD-ROM test image {name}\n");
        File.WriteAllBytes(Path.Combine(source, "boot.img"), BootSector());
        var iso = Path.Combine(dir, name + ".iso");
        var r = Tool.Run("xorriso", "-as", "mkisofs", "-quiet", "-V", name.ToUpperInvariant(), "-o", iso,
            "-b", "boot.img", "-no-emul-boot", "-boot-load-size", "4", source);
        Assert.True(r.ExitCode == 0, r.ToString());
        return iso;
    }

    /// <summary>mov dx, 0402h; then for each character mov al, c / out dx, al; then cli; hlt; jmp $-1.</summary>
    private static byte[] BootSector()
    {
        var code = new List<byte> { 0xBA, 0x02, 0x04 };
        foreach (char c in BootMarker + "\n")
            code.AddRange([0xB0, (byte)c, 0xEE]);
        code.AddRange([0xFA, 0xF4, 0xEB, 0xFD]);
        var sector = new byte[2048];
        code.CopyTo(sector);
        return sector;
    }
}
