using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace SharpSan.Protocol;

/// <summary>
/// CRC32C (Castagnoli) as iSCSI uses it for header and data digests (RFC 7143 §13.1, Appendix B.4):
/// initial value all ones, reflected, final complement, sent least significant byte first.
/// Uses the CPU instruction through <see cref="BitOperations.Crc32C(uint, ulong)"/>.
/// </summary>
public static class IscsiCrc32C
{
    public const uint Seed = 0xFFFFFFFF;

    /// <summary>Continues a running CRC (start with <see cref="Seed"/>; finish with <see cref="Finish"/>).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var v in longs) crc = BitOperations.Crc32C(crc, v);
        for (int i = longs.Length * 8; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return crc;
    }

    public static uint Update(uint crc, in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment) return Update(crc, data.FirstSpan);
        foreach (var seg in data) crc = Update(crc, seg.Span);
        return crc;
    }

    public static uint Finish(uint crc) => ~crc;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Seed, data));

    public static uint Compute(in ReadOnlySequence<byte> data) => Finish(Update(Seed, data));
}
