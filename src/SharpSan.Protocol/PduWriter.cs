using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>
/// Serialises one PDU — BHS, optional header digest, data segment, zero padding to a 4-byte boundary,
/// optional data digest (RFC 7143 §11.2, §13.1) — into an <see cref="IBufferWriter{T}"/>. The caller
/// has set DataSegmentLength in the header to <c>data.Length</c>.
/// </summary>
public static class PduWriter
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> data, bool headerDigest, bool dataDigest)
    {
        int padding = (4 - (data.Length & 3)) & 3;
        int total = Bhs.Length + (headerDigest ? 4 : 0) + data.Length + padding + (dataDigest && data.Length > 0 ? 4 : 0);
        var span = output.GetSpan(total);
        bhs[..Bhs.Length].CopyTo(span);
        int pos = Bhs.Length;
        if (headerDigest)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], IscsiCrc32C.Compute(bhs[..Bhs.Length]));
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
