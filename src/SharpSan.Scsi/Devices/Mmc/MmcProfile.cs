namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// The profile a CD/DVD drive reports as current (MMC-6, profile list): what kind of medium is loaded.
/// An image is a CD-ROM when it fits on one (up to 80 minutes of 75 sectors a second, as QEMU decides
/// too) and a DVD-ROM otherwise; without an accessible medium there is no current profile.
/// </summary>
internal static class MmcProfile
{
    public const ushort None = 0x0000;
    public const ushort CdRom = 0x0008;
    public const ushort DvdRom = 0x0010;

    /// <summary>80 minutes x 60 seconds x 75 sectors: the largest CD (MSF addressing of CD media).</summary>
    public const ulong CdMaxBlocks = 80 * 60 * 75;

    public static ushort Current(LogicalUnit unit)
    {
        if (unit.NotReadyReason != SenseReason.None)
        {
            return None;
        }

        return unit.Backstore.BlockCount <= CdMaxBlocks ? CdRom : DvdRom;
    }
}
