using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// GET EVENT STATUS NOTIFICATION (MMC-6, GET EVENT STATUS NOTIFICATION command), polled only (the
/// Morphing feature declares no asynchronous events). The one supported class is Media (class 4,
/// request bit 4): the event this nexus has not seen yet (new media, media removal) and the media
/// status (tray open, media present). This is how Linux's sr driver and Windows learn of a media change;
/// a request without the media class gets NEA (no event available).
/// </summary>
internal static class EventStatusNotificationCommand
{
    private const byte MediaClassRequest = 0x10;
    private const byte MediaClass = 4;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0x01) == 0)
        {
            // POLLED=0 asks for asynchronous operation, which this drive does not support.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 0);
            return false;
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(task.CdbBuffer[7..]));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        LogicalUnit unit = task.Entry.Unit;
        Span<byte> d = stackalloc byte[8];
        d.Clear();
        d[3] = MediaClassRequest; // SUPPORTED EVENT CLASSES
        int length;
        if ((task.CdbBuffer[4] & MediaClassRequest) == 0)
        {
            d[2] = 0x80; // NEA, notification class 0
            length = 4;
        }
        else
        {
            d[2] = MediaClass;
            d[4] = unit.TakeMediaEvent(task.Nexus);
            // MEDIA STATUS: bit 0 door or tray open, bit 1 media present (readable).
            d[5] = unit.TrayOpen ? (byte)0x01 : unit.NotReadyReason == SenseReason.None ? (byte)0x02 : (byte)0x00;
            length = 8;
        }

        BinaryPrimitives.WriteUInt16BigEndian(d, (ushort)(length - 2)); // EVENT DATA LENGTH
        DataIn.Respond(task, d[..length]);
        return default;
    }
}
