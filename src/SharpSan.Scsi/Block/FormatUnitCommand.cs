using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// FORMAT UNIT (SBC-3 5.3). An emulated logical unit has no media to low-level format, no defect
/// management and no protection information: a format that asks for none of these completes at once
/// and leaves the medium's contents as they are (SBC-3 4.x allows either the old data or an
/// initialization; nothing here is a security erase — that is SANITIZE). Anything else is refused
/// precisely, field by field.
/// </summary>
internal static class FormatUnitCommand
{
    /// <summary>A parameter list is a header (4 or 8 bytes), an initialization pattern descriptor and a
    /// defect list; without defect lists or patterns, anything past this is refused as too long.</summary>
    private const int MaxParameterList = 512;

    /// <summary>
    /// CDB byte 1: FMTPINFO (bits 7-6) must be 0 (no protection information); LONGLIST (bit 5) picks
    /// the 8-byte header; FMTDATA (bit 4) says a parameter list follows; CMPLST (bit 3) and DEFECT LIST
    /// FORMAT (bits 2-0) describe a defect list, which only matters with FMTDATA. The parameter list
    /// has no length in the CDB: its length is the Data-Out the initiator announced.
    /// </summary>
    public static bool Parse(ScsiTask task)
    {
        byte flags = task.CdbBuffer[1];
        if ((flags & 0xC0) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 7);
            return false;
        }

        if ((flags & 0x10) == 0)
        {
            // SBC-3 5.3.1: FMTDATA=0, no parameter list; CMPLST and DEFECT LIST FORMAT are ignored.
            return true;
        }

        int header = (flags & 0x20) != 0 ? 8 : 4;
        uint length = task.ExpectedDataTransferLength;
        if (length < header || length > MaxParameterList)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return false;
        }

        task.Direction = DataDirection.Write;
        task.TransferLength = (int)length;
        return true;
    }

    /// <summary>
    /// The parameter list header (SBC-3 5.3.2): PROTECTION FIELD USAGE must be 0; FOV=0 needs DPRY,
    /// DCRT, STPF and IP at 0 (SBC-3 table 37); with FOV=1, DPRY and DCRT (no defect management to
    /// skip) and IMMED (the format completes at once) are accepted, STPF with an empty defect list too,
    /// IP (an initialization pattern) is not supported; the long header's P_I_INFORMATION and
    /// PROTECTION INTERVAL EXPONENT must be 0; the DEFECT LIST LENGTH must be 0 (no defect lists).
    /// </summary>
    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.Direction != DataDirection.Write)
        {
            return default;
        }

        bool longList = (task.CdbBuffer[1] & 0x20) != 0;
        int header = longList ? 8 : 4;
        if (task.Buffer is null || task.DataLength < header)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return default;
        }

        ReadOnlySpan<byte> list = task.Buffer.AsSpan(0, task.DataLength);
        if ((list[0] & 0x07) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 0, 2, inCdb: false);
            return default;
        }

        byte options = list[1];
        bool fov = (options & 0x80) != 0;
        if (!fov && (options & 0x78) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 1, BitOf(options & 0x78), inCdb: false);
            return default;
        }

        if ((options & 0x08) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 1, 3, inCdb: false);
            return default;
        }

        if (longList && list[3] != 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 3, -1, inCdb: false);
            return default;
        }

        uint defectListLength = longList ? BinaryPrimitives.ReadUInt32BigEndian(list[4..]) : BinaryPrimitives.ReadUInt16BigEndian(list[2..]);
        if (defectListLength != 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, longList ? 4 : 2, -1, inCdb: false);
            return default;
        }

        if (task.DataLength != header)
        {
            // Bytes after a header that announces no pattern and no defect list.
            task.Fail(SenseReason.ParameterListLengthError);
        }

        return default;
    }

    private static int BitOf(int mask) => 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)mask);
}
