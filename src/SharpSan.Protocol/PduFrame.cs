using System.Buffers;

namespace SharpSan.Protocol;

/// <summary>One received PDU as slices of the connection's input buffer (no copy). Valid until the
/// caller advances the reader past <see cref="End"/>.</summary>
public readonly struct PduFrame
{
    public PduFrame(ReadOnlySequence<byte> header, ReadOnlySequence<byte> ahs, ReadOnlySequence<byte> data, SequencePosition end)
    {
        Header = header;
        Ahs = ahs;
        Data = data;
        End = end;
    }

    /// <summary>The 48 BHS bytes.</summary>
    public ReadOnlySequence<byte> Header { get; }
    /// <summary>Additional header segments (TotalAHSLength * 4 bytes).</summary>
    public ReadOnlySequence<byte> Ahs { get; }
    /// <summary>The data segment, DataSegmentLength bytes, without padding or digest.</summary>
    public ReadOnlySequence<byte> Data { get; }
    /// <summary>Position just after this PDU (padding and digests included).</summary>
    public SequencePosition End { get; }
}
