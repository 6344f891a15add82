using System.Buffers;
using System.Runtime.CompilerServices;

namespace SharpSan.Scsi;

/// <summary>
/// Writes one logical block's contents over a range (WRITE SAME, SBC-3 5.41/5.42), or zeros where the
/// backstore has no zeroing operation of its own: the block is repeated once into a pooled buffer of up
/// to <see cref="ChunkBytes"/>, which is then written as many times as the range needs, so a large range
/// costs a few large writes and no allocation.
/// </summary>
internal static class BlockPatternWriter
{
    /// <summary>Bytes written per backstore call.</summary>
    public const int ChunkBytes = 1024 * 1024;

    public static ValueTask WriteZeroesAsync(IBackstore backstore, ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken) =>
        WriteAsync(backstore, lba, blockCount, ReadOnlyMemory<byte>.Empty, flags, cancellationToken);

    /// <summary>Writes <paramref name="block"/> (one logical block; empty: zeros) to each of
    /// <paramref name="blockCount"/> blocks from <paramref name="lba"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask WriteAsync(IBackstore backstore, ulong lba, ulong blockCount, ReadOnlyMemory<byte> block,
        WriteFlags flags, CancellationToken cancellationToken)
    {
        if (blockCount == 0)
        {
            return;
        }

        int blockSize = backstore.BlockSize;
        int chunkBlocks = (int)Math.Min(blockCount, (ulong)(ChunkBytes / blockSize));
        int chunkBytes = chunkBlocks * blockSize;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        try
        {
            Fill(buffer.AsSpan(0, chunkBytes), block.Span, blockSize);
            while (blockCount > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int blocks = (int)Math.Min(blockCount, (ulong)chunkBlocks);
                await backstore.WriteAsync(lba, buffer.AsMemory(0, blocks * blockSize), flags, cancellationToken).ConfigureAwait(false);
                lba += (ulong)blocks;
                blockCount -= (ulong)blocks;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Fill(Span<byte> chunk, ReadOnlySpan<byte> block, int blockSize)
    {
        if (block.IsEmpty)
        {
            chunk.Clear();
            return;
        }

        block[..blockSize].CopyTo(chunk);
        // Doubling copies: log2(chunk / block) copies of growing size instead of one per block.
        int filled = blockSize;
        while (filled < chunk.Length)
        {
            int count = Math.Min(filled, chunk.Length - filled);
            chunk[..count].CopyTo(chunk[filled..]);
            filled += count;
        }
    }
}
