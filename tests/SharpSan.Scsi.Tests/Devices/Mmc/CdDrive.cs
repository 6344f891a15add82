using SharpSan.Scsi.Devices.Mmc;

namespace SharpSan.Scsi.Tests.Devices.Mmc;

/// <summary>A CD/DVD logical unit over memory images, with the CDBs the MMC tests send.</summary>
internal sealed class CdDrive
{
    public CdDrive(MemoryBackstore? medium)
    {
        Medium = medium;
        Tray = new MmcTray("fileio", "iso1", medium);
        Unit = new LogicalUnit(Tray, new LogicalUnitIdentity("SHARPSAN", "iso1", "1.0", "5d1c0a7e-2f4b-4c3d-8e9f-0a1b2c3d4e5f"));
        Harness = new Harness(Unit, medium);
    }

    public MemoryBackstore? Medium { get; }
    public MmcTray Tray { get; }
    public LogicalUnit Unit { get; }
    public Harness Harness { get; }

    /// <summary>A CD image of <paramref name="blocks"/> 2048-byte sectors with recognisable content.</summary>
    public static MemoryBackstore Image(ulong blocks = 600, int seed = 1)
    {
        var image = new MemoryBackstore(blocks, MmcTray.SectorSize);
        new Random(seed).NextBytes(image.Data);
        return image;
    }

    /// <summary>A single-layer DVD's worth of sectors (4.7 GB, far more than a CD holds), without data behind it.</summary>
    public static MemoryBackstore DvdImage() => new(2_295_104, MmcTray.SectorSize, allocate: false);

    public Result Run(string cdbHex, ItNexus? nexus = null) => Harness.Run(Hex(cdbHex), nexus: nexus);

    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));
}
