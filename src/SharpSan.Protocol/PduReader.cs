using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>
/// Frames PDUs out of a byte stream (RFC 7143 §11.2): BHS, AHS, header digest, data segment padded
/// to 4 bytes, data digest. Enforces the data segment limit before waiting for a payload, so a peer
/// cannot make us buffer more than it may send.
/// </summary>
public static class PduReader
{
    /// <summary>
    /// Tries to frame one PDU at the start of <paramref name="buffer"/>. Returns false when more bytes
    /// are needed. Throws <see cref="PduFormatException"/> on a framing error. A data digest error is
    /// reported through <paramref name="dataDigestOk"/> so the caller can still answer the PDU.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, PduLimits limits, out PduFrame frame, out bool dataDigestOk)
    {
        frame = default;
        dataDigestOk = true;
        if (buffer.Length < Bhs.Length) return false;

        Span<byte> head = stackalloc byte[Bhs.Length];
        buffer.Slice(0, Bhs.Length).CopyTo(head);
        int ahsLength = head[4] * 4;
        int dataLength = (head[5] << 16) | (head[6] << 8) | head[7];
        int headerDigest = limits.HeaderDigest ? 4 : 0;
        var header = buffer.Slice(0, Bhs.Length);
        var ahs = ReadOnlySequence<byte>.Empty;
        if (limits.HeaderDigest)
        {
            // §13.1: the header digest covers the BHS and all AHS. It is checked as soon as the header
            // is in, before the length it protects is trusted to wait for a payload.
            if (buffer.Length < Bhs.Length + ahsLength + headerDigest) return false;
            ahs = buffer.Slice(Bhs.Length, ahsLength);
            uint crc = IscsiCrc32C.Finish(IscsiCrc32C.Update(IscsiCrc32C.Update(IscsiCrc32C.Seed, head), ahs));
            uint wire = ReadLe32(buffer.Slice(Bhs.Length + ahsLength, 4));
            if (crc != wire)
                throw new PduFormatException(PduError.HeaderDigest, $"header digest mismatch (got 0x{wire:x8}, computed 0x{crc:x8})");
        }
        if (dataLength > limits.MaxRecvDataSegmentLength)
            throw new PduFormatException(PduError.DataSegmentTooLong,
                $"DataSegmentLength {dataLength} exceeds MaxRecvDataSegmentLength {limits.MaxRecvDataSegmentLength}");

        int padded = (dataLength + 3) & ~3;
        int dataDigest = limits.DataDigest && dataLength > 0 ? 4 : 0;
        long total = Bhs.Length + ahsLength + headerDigest + padded + dataDigest;
        if (buffer.Length < total) return false;
        if (!limits.HeaderDigest) ahs = buffer.Slice(Bhs.Length, ahsLength);

        long dataStart = Bhs.Length + ahsLength + headerDigest;
        var data = buffer.Slice(dataStart, dataLength);
        if (dataDigest != 0)
        {
            // §13.1: the data digest covers the data segment and its padding.
            uint crc = IscsiCrc32C.Finish(IscsiCrc32C.Update(IscsiCrc32C.Seed, buffer.Slice(dataStart, padded)));
            uint wire = ReadLe32(buffer.Slice(dataStart + padded, 4));
            dataDigestOk = crc == wire;
        }

        frame = new PduFrame(header, ahs, data, buffer.GetPosition(total));
        return true;
    }

    private static uint ReadLe32(ReadOnlySequence<byte> four)
    {
        Span<byte> b = stackalloc byte[4];
        four.CopyTo(b);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }
}
