using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// SANITIZE (SBC-3 5.30): OVERWRITE (01h) writes an initialization pattern over every logical block,
/// one or more passes, inverted between passes when INVERT is set; EXIT FAILURE MODE (1Fh) leaves
/// sanitize failure mode; BLOCK ERASE (02h) deallocates every LBA, served only where that erases:
/// a thin unit whose deallocated blocks read as zeros (see <see cref="BlockEraseAvailable"/>).
/// CRYPTOGRAPHIC ERASE (03h) changes the keys user data is encrypted with; no backstore encrypts, so
/// there is no key to forget and it is not in the command table: INVALID FIELD IN CDB, as SBC-3 5.30.1
/// says for an unsupported service action, absent from REPORT SUPPORTED OPERATION CODES, WACEREQ = 0.
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

    /// <summary>
    /// BLOCK ERASE (SBC-4 4.11.3: "alter information by setting the physical blocks to a vendor specific
    /// value") is done by deallocating every LBA (SBC-4 4.7): on a thin unit (LBPME=1, so GET LBA STATUS
    /// shows the whole unit deallocated afterwards) whose backstore reads deallocated blocks as zeros, so
    /// no earlier data can be read back. A backstore whose deallocation may leave old data readable (a
    /// block device that discards without zeroing) or a fully provisioned unit does not offer it.
    /// </summary>
    public static bool BlockEraseAvailable(LogicalUnit unit) =>
        unit.Provisioning.IsThin && unit.Backstore.Capabilities.UnmappedReadsZero;

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

        bool blockErase = (task.CdbBuffer[1] & 0x1F) == ServiceActionBlockErase;
        byte[] pattern = [];
        int passes = 0;
        bool invert = false;
        if (!blockErase && !TryParsePattern(task, out pattern, out passes, out invert))
        {
            return default;
        }

        if (!unit.Sanitize.TryStart())
        {
            unit.Sanitize.FailInProgress(task);
            return default;
        }

        // Not the command's cancellation: the operation belongs to the unit and outlives the command.
        Task<bool> operation = blockErase
            ? Task.Run(() => SanitizeOperations.BlockEraseAsync(unit, ause))
            : Task.Run(() => SanitizeOperations.OverwriteAsync(unit, pattern, passes, invert, ause));
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
}
