using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>REPORT LUNS (SPC-4 6.33): the nexus' logical unit inventory.</summary>
internal static class ReportLunsCommand
{
    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        byte select = cdb[2];
        if (select > 0x02)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 7);
            return false;
        }

        uint allocation = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
        if (allocation < 16)
        {
            // SPC-4 6.33: an ALLOCATION LENGTH below 16 is an invalid field.
            task.Fail(SenseReason.InvalidFieldInCdb, 6, 7);
            return false;
        }

        return DataIn.Allocate(task, (int)Math.Min(allocation, int.MaxValue));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        // SELECT REPORT 01h lists only well known LUs, and this target has none.
        IReadOnlyList<LunEntry> entries = task.LunMap.Entries;
        int count = task.CdbBuffer[2] == 0x01 ? 0 : entries.Count;
        int length = 8 + (8 * count);
        byte[] data = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> span = data.AsSpan(0, length);
            span.Clear();
            BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(8 * count));
            for (int i = 0; i < count; i++)
            {
                SamLun.Write(entries[i].Lun, span.Slice(8 + (8 * i), 8));
            }

            DataIn.Respond(task, span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }

        return default;
    }
}
