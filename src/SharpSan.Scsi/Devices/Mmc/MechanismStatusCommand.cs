using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// MECHANISM STATUS (MMC-6, MECHANISM STATUS command): the 8-byte header of a single-slot drive that is
/// not a changer — no fault, changer and mechanism idle, DOOR OPEN as the tray is, one slot, no slot
/// tables.
/// </summary>
internal static class MechanismStatusCommand
{
    public static bool Parse(ScsiTask task) =>
        DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(task.CdbBuffer[8..]));

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        Span<byte> d = stackalloc byte[8];
        d.Clear();
        d[1] = task.Entry.Unit.TrayOpen ? (byte)0x10 : (byte)0x00; // MECHANISM STATE idle, DOOR OPEN
        d[5] = 1;                                                   // NUMBER OF SLOTS AVAILABLE
        DataIn.Respond(task, d);
        return default;
    }
}
