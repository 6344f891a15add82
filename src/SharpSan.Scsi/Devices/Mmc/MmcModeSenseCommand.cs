using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// MODE SENSE (6) and (10) of a CD/DVD drive (MMC-6, mode parameters): no block descriptor and a
/// reserved device-specific parameter in the header (MMC defines neither, as QEMU's scsi-cd and tgt
/// also answer), and two pages: Read/Write Error Recovery (01h) and the CD/DVD Capabilities and
/// Mechanical Status page (2Ah, defined by MMC-3, obsolete since, still what hosts ask for): Linux's
/// sr driver reads it at probe time for the drive's read abilities, eject and lock. Nothing is
/// changeable; saved values are not supported.
/// </summary>
internal static class MmcModeSenseCommand
{
    public const byte ReadWriteErrorRecovery = 0x01;
    public const byte Capabilities = 0x2A;
    private const byte AllPages = 0x3F;

    private const int ErrorRecoveryLength = 12;
    private const int CapabilitiesLength = 22;
    private const int MaxResponse = 8 + ErrorRecoveryLength + CapabilitiesLength;

    /// <summary>50x CD speed in kB/s (176.4 kB/s per 1x, as sr divides by 176).</summary>
    private const ushort ReadSpeed = 50 * 176;

    public static bool Parse6(ScsiTask task) => ModeSenseCommand.CheckCdb(task, IsSupported((byte)(task.CdbBuffer[2] & 0x3F)));

    public static bool Parse10(ScsiTask task) => ModeSenseCommand.CheckCdb(task, IsSupported((byte)(task.CdbBuffer[2] & 0x3F)));

    private static bool IsSupported(byte page) => page is ReadWriteErrorRecovery or Capabilities or AllPages;

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        bool ten = cdb[0] == (byte)ScsiOpcode.ModeSense10;
        bool changeable = (PageControl)(cdb[2] >> 6) == PageControl.Changeable;
        byte page = (byte)(cdb[2] & 0x3F);
        Span<byte> data = stackalloc byte[MaxResponse];
        data.Clear();
        int offset = ten ? 8 : 4;
        if (page is ReadWriteErrorRecovery or AllPages)
        {
            offset += BuildErrorRecovery(data[offset..], changeable);
        }

        if (page is Capabilities or AllPages)
        {
            offset += BuildCapabilities(data[offset..], changeable, task.Entry.Unit.MediumRemovalPrevented);
        }

        // Header: MODE DATA LENGTH; medium type, device-specific parameter and block descriptor
        // length all 0.
        if (ten)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(offset - 2));
        }
        else
        {
            data[0] = (byte)(offset - 1);
        }

        DataIn.Respond(task, data[..offset]);
        return default;
    }

    /// <summary>Read/Write Error Recovery (01h): default recovery, a read retry count.</summary>
    private static int BuildErrorRecovery(Span<byte> p, bool changeable)
    {
        p[0] = ReadWriteErrorRecovery;
        p[1] = ErrorRecoveryLength - 2;
        if (!changeable)
        {
            p[3] = 0x20; // READ RETRY COUNT
        }

        return ErrorRecoveryLength;
    }

    /// <summary>CD/DVD Capabilities and Mechanical Status (2Ah): reads CD-R, CD-RW and DVD-ROM, writes
    /// nothing, multi-session, tray loading with eject and lock (LOCK STATE as prevented now).</summary>
    private static int BuildCapabilities(Span<byte> p, bool changeable, bool locked)
    {
        p[0] = Capabilities;
        p[1] = CapabilitiesLength - 2;
        if (changeable)
        {
            return CapabilitiesLength;
        }

        p[2] = 0x08 | 0x02 | 0x01;                 // DVD-ROM READ, CD-RW READ, CD-R READ
        p[3] = 0x00;                               // no write abilities
        p[4] = 0x40;                               // MULTI SESSION
        p[5] = 0x00;                               // no CD-DA commands
        p[6] = (byte)(0x20 | 0x08 | 0x01 | (locked ? 0x02 : 0x00)); // tray, EJECT, LOCK, LOCK STATE
        BinaryPrimitives.WriteUInt16BigEndian(p[8..], ReadSpeed);    // MAXIMUM READ SPEED (obsolete)
        BinaryPrimitives.WriteUInt16BigEndian(p[12..], 2048);        // BUFFER SIZE SUPPORTED (KB)
        BinaryPrimitives.WriteUInt16BigEndian(p[14..], ReadSpeed);   // CURRENT READ SPEED (obsolete)
        return CapabilitiesLength;
    }
}
