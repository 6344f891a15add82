namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>MSF (minute, second, frame) addresses of CD media (MMC-6, CD addressing): logical block 0 is
/// 00:02:00, after the 150-sector (2 second) pre-gap; 75 frames a second.</summary>
internal static class Msf
{
    private const int FramesPerSecond = 75;
    private const int PreGap = 150;

    /// <summary>Writes the 4-byte MSF form (reserved 0, M, S, F) of <paramref name="lba"/>. An address
    /// past 255:59:74 (only on a DVD) is reported as that maximum, as MSF cannot express it.</summary>
    public static void Write(ulong lba, Span<byte> address)
    {
        ulong frames = lba + PreGap;
        ulong minutes = frames / (60 * FramesPerSecond);
        address[0] = 0;
        if (minutes > 0xFF)
        {
            address[1] = 0xFF;
            address[2] = 59;
            address[3] = FramesPerSecond - 1;
            return;
        }

        address[1] = (byte)minutes;
        address[2] = (byte)(frames / FramesPerSecond % 60);
        address[3] = (byte)(frames % FramesPerSecond);
    }
}
