using System.Buffers;
using System.Diagnostics;

namespace SharpSan.Scsi;

/// <summary>
/// The sanitize operations SANITIZE starts (SBC-3 4.11), run in the background of the unit: each holds
/// the unit's write gate so no write in flight lands between its steps, reports its progress to
/// <see cref="SanitizeState"/>, makes its result durable before it counts as complete, and leaves the
/// unit in sanitize failure mode when the backstore fails it (SBC-3 4.11.4).
/// </summary>
internal static class SanitizeOperations
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>BLOCK ERASE deallocates this much per step: deallocation moves no data, so it is not
    /// paced; the steps only give REQUEST SENSE a progress indication.</summary>
    private const long EraseStepBytes = 64L * 1024 * 1024;

    /// <summary>
    /// OVERWRITE: every pass writes the whole unit with the pattern repeated from the start of each
    /// logical block; pass 2, 4... inverted when INVERT is set. A pass whose blocks are all zeros goes
    /// through the backstore's write-zeroes operation where it has one (fallocate ZERO_RANGE, BLKZEROOUT,
    /// a ramdisk's cleared chunks: every block reads zeros afterwards, the same result as writing them),
    /// at the same pace as any other pass.
    /// </summary>
    public static async Task<bool> OverwriteAsync(LogicalUnit unit, byte[] pattern, int passes, bool invert, bool ause)
    {
        SanitizeState state = unit.Sanitize;
        IBackstore backstore = unit.Backstore;
        int blockSize = backstore.BlockSize;
        ulong blocks = backstore.BlockCount;
        int chunkBlocks = Math.Max(1, ChunkBytes / blockSize);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(chunkBlocks * blockSize);
        bool succeeded = false;
        await unit.WriteGate.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            long total = checked((long)blocks * passes);
            long done = 0;
            var clock = Stopwatch.StartNew();
            for (int pass = 0; pass < passes; pass++)
            {
                Span<byte> filled = chunk.AsSpan(0, chunkBlocks * blockSize);
                Fill(filled, pattern, blockSize, invert && (pass & 1) == 1);
                bool zeroes = backstore.Capabilities.WriteZeroes && !filled[..blockSize].ContainsAnyExcept((byte)0);
                for (ulong lba = 0; lba < blocks; lba += (ulong)chunkBlocks)
                {
                    int count = (int)Math.Min((ulong)chunkBlocks, blocks - lba);
                    if (zeroes)
                    {
                        await backstore.WriteZeroesAsync(lba, (ulong)count, WriteFlags.None, CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await backstore.WriteAsync(lba, chunk.AsMemory(0, count * blockSize), WriteFlags.None, CancellationToken.None).ConfigureAwait(false);
                    }

                    done += count;
                    state.Report(done, total);
                    await Pace(clock, done * blockSize, state.OverwriteBytesPerSecond).ConfigureAwait(false);
                }
            }

            await backstore.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            succeeded = true;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // SBC-3 4.11.4: the operation did not complete; the unit enters sanitize failure mode.
        }
        finally
        {
            unit.WriteGate.Open();
            ArrayPool<byte>.Shared.Return(chunk);
            state.Finish(succeeded, ause);
        }

        return succeeded;
    }

    /// <summary>
    /// BLOCK ERASE (SBC-4 4.11.3) on a unit where <see cref="SanitizeCommand.BlockEraseAvailable"/>:
    /// every LBA is deallocated, so each reads as zeros (LBPRZ) and GET LBA STATUS reports the whole unit
    /// deallocated; a read completes with GOOD status (WABEREQ = 01b in VPD page B1h).
    /// </summary>
    public static async Task<bool> BlockEraseAsync(LogicalUnit unit, bool ause)
    {
        SanitizeState state = unit.Sanitize;
        IBackstore backstore = unit.Backstore;
        ulong blocks = backstore.BlockCount;
        ulong step = Math.Max(1, (ulong)(EraseStepBytes / backstore.BlockSize));
        bool succeeded = false;
        await unit.WriteGate.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            for (ulong lba = 0; lba < blocks; lba += step)
            {
                ulong count = Math.Min(step, blocks - lba);
                await backstore.DeallocateAsync(lba, count, WriteFlags.None, CancellationToken.None).ConfigureAwait(false);
                state.Report((long)(lba + count), (long)blocks);
            }

            await backstore.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            succeeded = true;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // SBC-3 4.11.4: the operation did not complete; the unit enters sanitize failure mode.
        }
        finally
        {
            unit.WriteGate.Open();
            state.Finish(succeeded, ause);
        }

        return succeeded;
    }

    private static void Fill(Span<byte> chunk, ReadOnlySpan<byte> pattern, int blockSize, bool inverted)
    {
        Span<byte> block = chunk[..blockSize];
        for (int offset = 0; offset < blockSize; offset += pattern.Length)
        {
            pattern[..Math.Min(pattern.Length, blockSize - offset)].CopyTo(block[offset..]);
        }

        if (inverted)
        {
            for (int i = 0; i < block.Length; i++)
            {
                block[i] = (byte)~block[i];
            }
        }

        for (int offset = blockSize; offset < chunk.Length; offset += blockSize)
        {
            block.CopyTo(chunk[offset..]);
        }
    }

    private static Task Pace(Stopwatch clock, long bytesWritten, long bytesPerSecond)
    {
        if (bytesPerSecond <= 0)
        {
            return Task.CompletedTask;
        }

        double ahead = bytesWritten / (double)bytesPerSecond - clock.Elapsed.TotalSeconds;
        return ahead > 0.001 ? Task.Delay(TimeSpan.FromSeconds(ahead)) : Task.CompletedTask;
    }
}
