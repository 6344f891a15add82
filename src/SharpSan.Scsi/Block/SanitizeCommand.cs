using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;

namespace SharpSan.Scsi;

/// <summary>
/// SANITIZE (SBC-3 5.30): OVERWRITE (01h) writes an initialization pattern over every logical block,
/// one or more passes, inverted between passes when INVERT is set; EXIT FAILURE MODE (1Fh) leaves
/// sanitize failure mode. BLOCK ERASE (02h) and CRYPTOGRAPHIC ERASE (03h) need a medium that can erase
/// or has keys to forget: no backstore here has either, so they are not in the command table and get
/// INVALID FIELD IN CDB, as SBC-3 5.30.1 says for an unsupported service action (and REPORT SUPPORTED
/// OPERATION CODES does not list them; VPD B1h reports WABEREQ = WACEREQ = 0).
/// The operation runs in the background of the unit (<see cref="SanitizeState"/>): with IMMED=1 the
/// command completes once the parameters are checked; with IMMED=0 when the operation ends. Either
/// way an abort, a reset or a logout leaves it running (SBC-3 4.11.1).
/// </summary>
internal static class SanitizeCommand
{
    public const byte ServiceActionOverwrite = 0x01;
    public const byte ServiceActionBlockErase = 0x02;
    public const byte ServiceActionCryptographicErase = 0x03;
    public const byte ServiceActionExitFailureMode = 0x1F;

    private const int ChunkBytes = 1024 * 1024;

    /// <summary>
    /// CDB: IMMED (byte 1 bit 7), AUSE (bit 5), SERVICE ACTION (bits 4-0), PARAMETER LIST LENGTH bytes
    /// 7-8; byte 1 bit 6 and bytes 2-6 are reserved and must be 0 (libiscsi's Sanitize.*Reserved). OVERWRITE needs a parameter list of 5 to block size + 4 bytes (a 4-byte header and a pattern
    /// of 1 to block size bytes, SBC-3 5.30.2.2); EXIT FAILURE MODE takes none (SBC-3 5.30.2.5). A
    /// length outside these is INVALID FIELD IN CDB pointing at PARAMETER LIST LENGTH.
    /// </summary>
    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0x40) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 6);
            return false;
        }

        for (int reserved = 2; reserved <= 6; reserved++)
        {
            if (cdb[reserved] != 0)
            {
                task.Fail(SenseReason.InvalidFieldInCdb, reserved, -1);
                return false;
            }
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        int serviceAction = cdb[1] & 0x1F;
        bool valid = serviceAction == ServiceActionOverwrite
            ? length >= 5 && length <= task.Entry.Unit.Backstore.BlockSize + 4
            : length == 0;
        if (!valid)
        {
            // The field pointer names the byte of PARAMETER LIST LENGTH that is wrong (the low byte
            // when only it is set), as the reserved-bit check of the usage data would.
            task.Fail(SenseReason.InvalidFieldInCdb, cdb[7] != 0 || serviceAction == ServiceActionOverwrite ? 7 : 8, -1);
            return false;
        }

        task.Direction = length == 0 ? DataDirection.None : DataDirection.Write;
        task.TransferLength = length;
        return true;
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        LogicalUnit unit = task.Entry.Unit;
        bool immediate = (task.CdbBuffer[1] & 0x80) != 0;
        bool ause = (task.CdbBuffer[1] & 0x20) != 0;
        if ((task.CdbBuffer[1] & 0x1F) == ServiceActionExitFailureMode)
        {
            if (!unit.Sanitize.TryExitFailureMode())
            {
                // SBC-3 5.30.2.5: the failed operation had AUSE=0; only a sanitize that completes ends it.
                task.Fail(SenseReason.InvalidFieldInCdb, 1, 5);
            }

            return default;
        }

        if (!TryParsePattern(task, out byte[]? pattern, out int passes, out bool invert))
        {
            return default;
        }

        if (!unit.Sanitize.TryStart())
        {
            unit.Sanitize.FailInProgress(task);
            return default;
        }

        // Not the command's cancellation: the operation belongs to the unit and outlives the command.
        Task<bool> operation = Task.Run(() => OverwriteAsync(unit, pattern, passes, invert, ause));
        return immediate ? default : AwaitCompletion(task, operation, cancellationToken);
    }

    /// <summary>IMMED=0: the command completes when the operation does, unless the fabric aborts it
    /// first (ABORT TASK, a reset, a lost connection): then it stops waiting — no status is sent for an
    /// aborted task — and the operation carries on (SBC-3 4.11.1).</summary>
    private static async ValueTask AwaitCompletion(ScsiTask task, Task<bool> operation, CancellationToken cancellationToken)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, task.AbortToken);
        bool succeeded;
        try
        {
            succeeded = await operation.WaitAsync(aborted.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (task.AbortToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            task.Fail(SenseReason.AbortedCommand);
            return;
        }

        if (!succeeded)
        {
            task.Fail(SenseReason.SanitizeCommandFailed);
        }
    }

    /// <summary>
    /// The OVERWRITE parameter list (SBC-3 5.30.2.2): byte 0 INVERT (bit 7), TEST (bits 6-5, must be
    /// 00b: the test modes are vendor specific), OVERWRITE COUNT (bits 4-0, 1 to 31 passes); bytes 2-3
    /// INITIALIZATION PATTERN LENGTH, 1 to the block size and equal to what follows the header.
    /// </summary>
    private static bool TryParsePattern(ScsiTask task, out byte[] pattern, out int passes, out bool invert)
    {
        pattern = [];
        passes = 0;
        invert = false;
        if (task.Buffer is null || task.DataLength < task.TransferLength)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return false;
        }

        ReadOnlySpan<byte> list = task.Buffer.AsSpan(0, task.TransferLength);
        if ((list[0] & 0x60) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 0, 6, inCdb: false);
            return false;
        }

        passes = list[0] & 0x1F;
        if (passes == 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 0, 4, inCdb: false);
            return false;
        }

        int patternLength = BinaryPrimitives.ReadUInt16BigEndian(list[2..]);
        if (patternLength == 0 || patternLength > task.Entry.Unit.Backstore.BlockSize || patternLength != list.Length - 4)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 2, -1, inCdb: false);
            return false;
        }

        invert = (list[0] & 0x80) != 0;
        pattern = list.Slice(4, patternLength).ToArray();
        return true;
    }

    /// <summary>Every pass writes the whole unit with the pattern repeated from the start of each
    /// logical block; pass 2, 4... inverted when INVERT is set; the last pass is flushed before the
    /// operation counts as complete. Holds the write gate so no write in flight lands between passes.</summary>
    private static async Task<bool> OverwriteAsync(LogicalUnit unit, byte[] pattern, int passes, bool invert, bool ause)
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
                Fill(chunk.AsSpan(0, chunkBlocks * blockSize), pattern, blockSize, invert && (pass & 1) == 1);
                for (ulong lba = 0; lba < blocks; lba += (ulong)chunkBlocks)
                {
                    int count = (int)Math.Min((ulong)chunkBlocks, blocks - lba);
                    await backstore.WriteAsync(lba, chunk.AsMemory(0, count * blockSize), WriteFlags.None, CancellationToken.None).ConfigureAwait(false);
                    done += count;
                    state.Report(done, total);
                    await Pace(clock, done * blockSize, state.OverwriteBytesPerSecond).ConfigureAwait(false);
                }
            }

            await backstore.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            succeeded = true;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
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
