using System.Buffers.Binary;

namespace SharpSan.Scsi.Reporting;

/// <summary>
/// LOG SENSE (SPC-4 6.6): one of <see cref="LogPages"/>, from the parameter named by PARAMETER POINTER
/// on. SP (save parameters) is refused since no log parameter is saved; PPC is not supported (a bit
/// outside the CDB usage data). Every PAGE CONTROL value returns the current values: no page has
/// thresholds, and cumulative values are the live ones.
/// </summary>
internal static class LogSenseCommand
{
    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0x01) != 0)
        {
            // SPC-4 6.6: SP=1 when saving log parameters is not implemented.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 0);
            return false;
        }

        byte page = (byte)(cdb[2] & 0x3F);
        byte subpage = cdb[3];
        if (!LogPages.IsSupported(page, 0))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 5);
            return false;
        }

        if (!LogPages.IsSupported(page, subpage))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 3, 7);
            return false;
        }

        // SPC-4 6.6: a PARAMETER POINTER larger than the largest parameter code the page has is an
        // invalid field; the supported pages lists have no parameter codes, so only 0 fits them.
        ushort pointer = BinaryPrimitives.ReadUInt16BigEndian(cdb[5..]);
        if (pointer != 0 && !HasParameterFrom(page, subpage, task.Entry.Unit, pointer))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 5, 7);
            return false;
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        byte page = (byte)(cdb[2] & 0x3F);
        ushort pointer = BinaryPrimitives.ReadUInt16BigEndian(cdb[5..]);
        Span<byte> data = stackalloc byte[LogPages.MaxPageLength];
        int length = LogPages.Build(page, cdb[3], task.Entry.Unit, data);
        if (pointer != 0)
        {
            length = DropParametersBelow(data[..length], pointer);
        }

        DataIn.Respond(task, data[..length]);
        return default;
    }

    private static bool HasParameterFrom(byte page, byte subpage, LogicalUnit unit, ushort pointer)
    {
        if (!LogPages.HasParameters(page))
        {
            return false;
        }

        Span<byte> data = stackalloc byte[LogPages.MaxPageLength];
        int length = LogPages.Build(page, subpage, unit, data);
        return DropParametersBelow(data[..length], pointer) > 4;
    }

    /// <summary>Removes the parameters whose code is below <paramref name="pointer"/> (they come first:
    /// parameters are in ascending code order) and fixes PAGE LENGTH; returns the new page length.</summary>
    private static int DropParametersBelow(Span<byte> page, ushort pointer)
    {
        int offset = 4;
        while (offset + 4 <= page.Length && BinaryPrimitives.ReadUInt16BigEndian(page[offset..]) < pointer)
        {
            offset += 4 + page[offset + 3];
        }

        int kept = page.Length - offset;
        page[offset..].CopyTo(page[4..]);
        BinaryPrimitives.WriteUInt16BigEndian(page[2..], (ushort)kept);
        return 4 + kept;
    }
}
