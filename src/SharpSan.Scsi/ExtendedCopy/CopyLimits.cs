namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// What this copy manager supports, reported by RECEIVE COPY RESULTS OPERATING PARAMETERS (SPC-4
/// 6.18.4) and the Third-party Copy VPD page (SPC-4 7.8.16), and enforced by EXTENDED COPY.
/// </summary>
internal static class CopyLimits
{
    /// <summary>Parameter list header length (SPC-4 6.4.3.1, LID1).</summary>
    public const int HeaderLength = 16;

    /// <summary>MAXIMUM CSCD DESCRIPTOR COUNT: a source and a destination for each of a few segments.</summary>
    public const int MaxCscdDescriptors = 8;

    /// <summary>MAXIMUM SEGMENT DESCRIPTOR COUNT.</summary>
    public const int MaxSegmentDescriptors = 16;

    /// <summary>MAXIMUM DESCRIPTOR LIST LENGTH: CSCD plus segment descriptors, in bytes (room for the
    /// maximum counts of 32-byte CSCD and 28-byte block to block segment descriptors).</summary>
    public const int MaxDescriptorListLength = 1024;

    /// <summary>The largest PARAMETER LIST LENGTH taken in (the header, the descriptors, and room for
    /// padding an application client may send after them); larger ones are refused before any data moves.</summary>
    public const int MaxParameterListLength = 64 * 1024;

    /// <summary>MAXIMUM SEGMENT LENGTH in bytes: the most a block to block segment can carry
    /// (65 535 blocks of 4 096 bytes fits).</summary>
    public const uint MaxSegmentLength = 256 * 1024 * 1024;

    /// <summary>MAXIMUM INLINE DATA LENGTH: no segment type that consumes inline data is supported.</summary>
    public const int MaxInlineDataLength = 0;

    /// <summary>HELD DATA LIMIT: no segment type holds data for RECEIVE DATA.</summary>
    public const int HeldDataLimit = 0;

    /// <summary>TOTAL CONCURRENT COPIES: EXTENDED COPY commands one logical unit runs at once.</summary>
    public const int TotalConcurrentCopies = 16;

    /// <summary>MAXIMUM CONCURRENT COPIES: copies with a list identifier one I_T nexus may have running,
    /// and the copy results held for it.</summary>
    public const int MaxConcurrentCopies = 16;

    /// <summary>DATA SEGMENT GRANULARITY (log 2): a segment moves whole 512-byte blocks at least.</summary>
    public const byte DataSegmentGranularityLog2 = 9;

    /// <summary>Bytes moved per backstore read and write while copying: large enough to stream, small
    /// enough that a copy holds one pooled buffer of modest size.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>Implemented descriptor type codes, ascending: block to block segment (02h, SPC-4
    /// 6.4.6.5) and the identification CSCD descriptor (E4h, SPC-4 6.4.5.2).</summary>
    public static ReadOnlySpan<byte> ImplementedDescriptorTypeCodes => [SegmentDescriptor.BlockToBlock, CscdDescriptor.IdentificationTypeCode];
}
