using System.Buffers.Binary;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// The EXTENDED COPY(LID1) parameter list (SPC-4 6.4.3): a 16-byte header, the CSCD descriptors, the
/// segment descriptors and inline data. <see cref="TryParse"/> checks every length and field in the
/// order that makes each error the one SPC-4 names for it, before any data moves.
/// </summary>
internal sealed class ExtendedCopyParameterList
{
    private ExtendedCopyParameterList(byte listId, ListIdUsage usage, byte priority, CscdDescriptor[] cscds, SegmentDescriptor[] segments)
    {
        ListId = listId;
        Usage = usage;
        Priority = priority;
        Cscds = cscds;
        Segments = segments;
    }

    public byte ListId { get; }
    public ListIdUsage Usage { get; }

    /// <summary>PRIORITY (vendor specific relative priority): every copy runs at once here.</summary>
    public byte Priority { get; }

    public CscdDescriptor[] Cscds { get; }
    public SegmentDescriptor[] Segments { get; }

    /// <summary>Header fields (SPC-4 6.4.3.1, table 107).</summary>
    public const int ListIdByte = 0;
    public const int FlagsByte = 1;
    public const int CscdListLengthByte = 2;
    public const int SegmentListLengthByte = 8;
    public const int InlineDataLengthByte = 12;

    public static bool TryParse(ReadOnlySpan<byte> list, out ExtendedCopyParameterList? parsed, out CopyParameterError error)
    {
        parsed = null;
        if (list.Length < CopyLimits.HeaderLength)
        {
            // SPC-4 6.4.1: a parameter list length that truncates the parameter list.
            error = new(SenseReason.ParameterListLengthError, -1, -1);
            return false;
        }

        byte listId = list[ListIdByte];
        var usage = (ListIdUsage)((list[FlagsByte] >> 3) & 0x03);
        if (usage == ListIdUsage.Reserved)
        {
            error = new(SenseReason.InvalidFieldInParameterList, FlagsByte, 4);
            return false;
        }

        if (usage == ListIdUsage.NoListId && listId != 0)
        {
            // SPC-4 6.4.3.2: with LIST ID USAGE 11b the LIST IDENTIFIER field shall be zero.
            error = new(SenseReason.InvalidFieldInParameterList, ListIdByte, -1);
            return false;
        }

        int cscdLength = BinaryPrimitives.ReadUInt16BigEndian(list[CscdListLengthByte..]);
        uint segmentLength = BinaryPrimitives.ReadUInt32BigEndian(list[SegmentListLengthByte..]);
        uint inlineLength = BinaryPrimitives.ReadUInt32BigEndian(list[InlineDataLengthByte..]);
        if ((ulong)cscdLength + segmentLength > CopyLimits.MaxDescriptorListLength)
        {
            // SPC-4 6.4.3.5: the descriptors together exceed MAXIMUM DESCRIPTOR LIST LENGTH.
            error = new(SenseReason.ParameterListLengthError, -1, -1);
            return false;
        }

        if (inlineLength > CopyLimits.MaxInlineDataLength)
        {
            // No supported segment type consumes inline data (MAXIMUM INLINE DATA LENGTH 0).
            error = new(SenseReason.InvalidFieldInParameterList, InlineDataLengthByte, -1);
            return false;
        }

        int cscdStart = CopyLimits.HeaderLength;
        int segmentStart = cscdStart + cscdLength;
        int end = segmentStart + (int)segmentLength;
        if (end > list.Length)
        {
            // SPC-4 6.4.1: the descriptors run past the parameter list length.
            error = new(SenseReason.ParameterListLengthError, -1, -1);
            return false;
        }

        if (!CountCscds(list, cscdStart, segmentStart, out int cscdCount, out error) ||
            !CountSegments(list, segmentStart, end, out int segmentCount, out error))
        {
            return false;
        }

        var cscds = new CscdDescriptor[cscdCount];
        int offset = cscdStart;
        for (int i = 0; i < cscdCount; i++)
        {
            byte type = list[offset];
            if (type != CscdDescriptor.IdentificationTypeCode)
            {
                error = new(SenseReason.UnsupportedTargetDescriptorTypeCode, offset, -1);
                return false;
            }

            if (!CscdDescriptor.TryParseIdentification(list, offset, out cscds[i], out error))
            {
                return false;
            }

            offset += CscdDescriptor.Length;
        }

        var segments = new SegmentDescriptor[segmentCount];
        offset = segmentStart;
        for (int i = 0; i < segmentCount; i++)
        {
            if (list[offset] != SegmentDescriptor.BlockToBlock)
            {
                error = new(SenseReason.UnsupportedSegmentDescriptorTypeCode, offset, -1);
                return false;
            }

            if (!SegmentDescriptor.TryParseBlockToBlock(list, offset, out segments[i], out error))
            {
                return false;
            }

            offset += SegmentDescriptor.BlockToBlockLength;
        }

        parsed = new ExtendedCopyParameterList(listId, usage, (byte)(list[FlagsByte] & 0x07), cscds, segments);
        error = default;
        return true;
    }

    /// <summary>Walks the CSCD descriptor list by each type code's length (SPC-4 6.4.5.1): a
    /// descriptor cut by the list's end makes the CSCD DESCRIPTOR LIST LENGTH wrong; more descriptors
    /// than supported is TOO MANY TARGET DESCRIPTORS (SPC-4 6.4.3.4).</summary>
    private static bool CountCscds(ReadOnlySpan<byte> list, int start, int end, out int count, out CopyParameterError error)
    {
        count = 0;
        for (int offset = start; offset < end; offset += CscdDescriptor.LengthOf(list[offset]))
        {
            if (offset + CscdDescriptor.LengthOf(list[offset]) > end)
            {
                error = new(SenseReason.InvalidFieldInParameterList, CscdListLengthByte, -1);
                return false;
            }

            count++;
        }

        if (count > CopyLimits.MaxCscdDescriptors)
        {
            error = new(SenseReason.TooManyTargetDescriptors, -1, -1);
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Walks the segment descriptor list by each descriptor's DESCRIPTOR LENGTH (SPC-4
    /// 6.4.6.1); more than supported is TOO MANY SEGMENT DESCRIPTORS (SPC-4 6.4.3.5).</summary>
    private static bool CountSegments(ReadOnlySpan<byte> list, int start, int end, out int count, out CopyParameterError error)
    {
        count = 0;
        int offset = start;
        while (offset < end)
        {
            if (offset + 4 > end || offset + 4 + BinaryPrimitives.ReadUInt16BigEndian(list[(offset + 2)..]) > end)
            {
                error = new(SenseReason.InvalidFieldInParameterList, SegmentListLengthByte, -1);
                return false;
            }

            offset += 4 + BinaryPrimitives.ReadUInt16BigEndian(list[(offset + 2)..]);
            count++;
        }

        if (count > CopyLimits.MaxSegmentDescriptors)
        {
            error = new(SenseReason.TooManySegmentDescriptors, -1, -1);
            return false;
        }

        error = default;
        return true;
    }
}
