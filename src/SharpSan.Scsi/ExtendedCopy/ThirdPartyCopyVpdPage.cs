using System.Buffers.Binary;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// The Third-party Copy VPD page (8Fh, SPC-4 7.8.17) of a disk: the third-party copy descriptors an
/// EXTENDED COPY(LID1) copy manager must report — Supported Commands (0001h), Parameter Data (0004h),
/// Supported Descriptors (0008h), Supported CSCD Descriptor IDs (000Ch) and General Copy Operations
/// (8001h). Each descriptor is padded to a multiple of four bytes (SPC-4 7.8.17.2).
/// </summary>
internal static class ThirdPartyCopyVpdPage
{
    public const byte PageCode = 0x8F;

    /// <summary>Writes the page body (after the 4-byte page header) and returns its length.</summary>
    public static int Build(Span<byte> body)
    {
        int offset = 0;
        offset += SupportedCommands(body[offset..]);
        offset += ParameterData(body[offset..]);
        offset += SupportedDescriptors(body[offset..]);
        offset += SupportedCscdIds(body[offset..]);
        offset += GeneralCopyOperations(body[offset..]);
        return offset;
    }

    /// <summary>SPC-4 7.8.17.4: each command's operation code, then its service actions.</summary>
    private static int SupportedCommands(Span<byte> d)
    {
        ReadOnlySpan<byte> commands =
        [
            (byte)ScsiOpcode.ExtendedCopy, 1, ExtendedCopyCommand.ServiceActionLid1,
            (byte)ScsiOpcode.ReceiveCopyResults, 4, ReceiveCopyResultsCommand.CopyStatus, ReceiveCopyResultsCommand.ReceiveData,
            ReceiveCopyResultsCommand.OperatingParameters, ReceiveCopyResultsCommand.FailedSegmentDetails,
        ];
        return WithList(d, 0x0001, commands); // COMMANDS SUPPORTED LIST
    }

    /// <summary>SPC-4 7.8.17.5: the descriptor limits of OPERATING PARAMETERS.</summary>
    private static int ParameterData(Span<byte> d)
    {
        const int length = 32;
        d[..length].Clear();
        Header(d, 0x0004, length);
        BinaryPrimitives.WriteUInt16BigEndian(d[8..], CopyLimits.MaxCscdDescriptors);
        BinaryPrimitives.WriteUInt16BigEndian(d[10..], CopyLimits.MaxSegmentDescriptors);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], CopyLimits.MaxDescriptorListLength);
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], CopyLimits.MaxInlineDataLength);
        return length;
    }

    /// <summary>SPC-4 7.8.17.6: the implemented segment and CSCD descriptor type codes.</summary>
    private static int SupportedDescriptors(Span<byte> d)
    {
        return WithList(d, 0x0008, CopyLimits.ImplementedDescriptorTypeCodes);
    }

    /// <summary>SPC-4 7.8.17.7: CSCD descriptor IDs above 07FFh (LID4 only): none.</summary>
    private static int SupportedCscdIds(Span<byte> d)
    {
        const int length = 8;
        d[..length].Clear();
        Header(d, 0x000C, length);
        return length;
    }

    /// <summary>SPC-4 7.8.17.10: concurrency, segment length and granularity.</summary>
    private static int GeneralCopyOperations(Span<byte> d)
    {
        const int length = 36;
        d[..length].Clear();
        Header(d, 0x8001, length);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], CopyLimits.TotalConcurrentCopies);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], CopyLimits.MaxConcurrentCopies);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], CopyLimits.MaxSegmentLength);
        d[16] = CopyLimits.DataSegmentGranularityLog2;
        d[17] = 0; // INLINE DATA GRANULARITY (log 2)
        return length;
    }

    /// <summary>A descriptor whose body is a one-byte list length and the list (Supported Commands,
    /// Supported Descriptors), padded.</summary>
    private static int WithList(Span<byte> d, ushort type, ReadOnlySpan<byte> list)
    {
        int length = Padded(5 + list.Length);
        d[..length].Clear();
        Header(d, type, length);
        d[4] = (byte)list.Length;
        list.CopyTo(d[5..]);
        return length;
    }

    /// <summary>THIRD-PARTY COPY DESCRIPTOR TYPE and LENGTH (the bytes after the first four).</summary>
    private static void Header(Span<byte> d, ushort type, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(d, type);
        BinaryPrimitives.WriteUInt16BigEndian(d[2..], (ushort)(length - 4));
    }

    private static int Padded(int length) => (length + 3) & ~3;
}
