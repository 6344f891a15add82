using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>
/// Serialises one PDU — BHS, AHS (TotalAHSLength words, from the same header span), optional header
/// digest, data segment, zero padding to a 4-byte boundary, optional data digest (RFC 7143 §11.2, §13.1) —
/// into an <see cref="IBufferWriter{T}"/>. The caller has set DataSegmentLength in the header to
/// <c>data.Length</c>.
/// </summary>
public static class PduWriter
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data, bool headerDigest, bool dataDigest)
    {
        // §11.2.1.4: the AHS follow the BHS; TotalAHSLength (byte 4) counts them in 4-byte words.
        int headerLength = Bhs.Length + (bhs[4] * 4);
        ReadOnlySpan<byte> header = bhs[..headerLength];
        int padding = (4 - (data.Length & 3)) & 3;
        int total = headerLength + (headerDigest ? 4 : 0) + data.Length + padding + (dataDigest && data.Length > 0 ? 4 : 0);
        var span = output.GetSpan(total);
        header.CopyTo(span);
        int pos = headerLength;
        if (headerDigest)
        {
            // §13.1: the header digest covers the BHS and all AHS.
            BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], IscsiCrc32C.Compute(header));
            pos += 4;
        }
        if (data.Length > 0)
        {
            data.CopyTo(span[pos..]);
            int dataStart = pos;
            pos += data.Length;
            span.Slice(pos, padding).Clear();
            pos += padding;
            if (dataDigest)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], IscsiCrc32C.Compute(span[dataStart..pos]));
                pos += 4;
            }
        }
        output.Advance(pos);
    }
}
