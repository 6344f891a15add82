using System.Buffers.Binary;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// Sense data for an EXTENDED COPY that failed while processing a segment (SPC-4 6.4.4): sense key
/// COPY ABORTED; COMMAND-SPECIFIC INFORMATION holding the offsets of the source and destination copy
/// targets' own sense data within this sense data (0: none) and the number of the segment that
/// failed; the sense key specific field as a segment pointer (SPC-4 4.5.2.4.5: SD=1 when the field
/// pointer is relative to that segment descriptor, 0 when relative to the parameter list). In fixed
/// format the copy target's sense data follows the 18 standard bytes.
/// </summary>
internal static class CopyAbortedSense
{
    /// <summary>Where a failing copy target's sense data goes in fixed format sense data.</summary>
    private const int EmbeddedOffset = SenseData.FixedLength;

    /// <summary>A copy target the failure concerns, and what that copy target itself would answer.</summary>
    public enum Party { None, Source, Destination }

    public static void Fail(ScsiTask task, SenseReason reason, int segment, int fieldByte, int fieldBit, bool inSegment,
        Party party = Party.None, SenseReason targetReason = SenseReason.None)
    {
        SenseTable.Lookup(reason, out SenseKey key, out byte asc, out byte ascq);
        Span<byte> sense = task.SenseBuffer;
        bool descriptor = task.Entry.Unit is { DescriptorSense: true };
        task.Status = ScsiStatus.CheckCondition;
        task.SenseLength = descriptor
            ? BuildDescriptor(sense, key, asc, ascq, segment, fieldByte, fieldBit, inSegment)
            : BuildFixed(sense, key, asc, ascq, segment, fieldByte, fieldBit, inSegment, party, targetReason);
    }

    private static int BuildFixed(Span<byte> sense, SenseKey key, byte asc, byte ascq, int segment, int fieldByte, int fieldBit,
        bool inSegment, Party party, SenseReason targetReason)
    {
        sense[..SenseData.FixedLength].Clear();
        sense[0] = 0x70;
        sense[2] = (byte)key;
        int length = SenseData.FixedLength;
        if (party != Party.None && targetReason != SenseReason.None)
        {
            // The copy target's sense data as it would have reported it (fixed format).
            SenseTable.Lookup(targetReason, out SenseKey targetKey, out byte targetAsc, out byte targetAscq);
            length += SenseData.Build(sense[EmbeddedOffset..], false, targetKey, targetAsc, targetAscq, SenseData.NoField, -1, true, null);
            sense[party == Party.Source ? 8 : 9] = EmbeddedOffset;
        }

        BinaryPrimitives.WriteUInt16BigEndian(sense[10..], (ushort)segment);
        sense[7] = (byte)(length - 8);
        sense[12] = asc;
        sense[13] = ascq;
        WriteSegmentPointer(sense[15..], fieldByte, fieldBit, inSegment);
        return length;
    }

    private static int BuildDescriptor(Span<byte> sense, SenseKey key, byte asc, byte ascq, int segment, int fieldByte, int fieldBit, bool inSegment)
    {
        sense[..28].Clear();
        sense[0] = 0x72;
        sense[1] = (byte)key;
        sense[2] = asc;
        sense[3] = ascq;

        // Command-specific information descriptor (SPC-4 4.5.2.3): the low four bytes as in fixed format.
        sense[8] = 0x01;
        sense[9] = 0x0A;
        BinaryPrimitives.WriteUInt16BigEndian(sense[18..], (ushort)segment);
        int length = 20;
        if (fieldByte >= 0)
        {
            // Sense key specific descriptor (SPC-4 4.5.2.4) carrying the segment pointer.
            sense[length] = 0x02;
            sense[length + 1] = 0x06;
            WriteSegmentPointer(sense[(length + 4)..], fieldByte, fieldBit, inSegment);
            length += 8;
        }

        sense[7] = (byte)(length - 8);
        return length;
    }

    private static void WriteSegmentPointer(Span<byte> sks, int fieldByte, int fieldBit, bool inSegment)
    {
        if (fieldByte < 0)
        {
            return;
        }

        sks[0] = (byte)(0x80 | (inSegment ? 0x20 : 0) | (fieldBit >= 0 ? 0x08 | (fieldBit & 0x07) : 0));
        BinaryPrimitives.WriteUInt16BigEndian(sks[1..], (ushort)fieldByte);
    }
}
