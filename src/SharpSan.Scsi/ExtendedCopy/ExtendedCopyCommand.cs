using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// EXTENDED COPY(LID1) (SPC-4 6.4): the logical unit's copy manager copies blocks between logical units
/// it can reach — itself, or any unit its <see cref="LogicalUnit.CopyTargets"/> knows — without the
/// data crossing the network. The command completes when the copy is done; its progress and outcome
/// are kept per I_T nexus and list identifier for RECEIVE COPY RESULTS.
/// </summary>
internal static class ExtendedCopyCommand
{
    public const byte ServiceActionLid1 = 0x00;

    /// <summary>PARAMETER LIST LENGTH, CDB bytes 10..13.</summary>
    private const int ParameterListLengthByte = 10;

    public static bool Parse(ScsiTask task)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(task.CdbBuffer[ParameterListLengthByte..]);
        if (length > CopyLimits.MaxParameterListLength)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, ParameterListLengthByte, -1);
            return false;
        }

        // SPC-4 6.4.1: a PARAMETER LIST LENGTH of zero is not an error; nothing is transferred or done.
        return DataOut.Expect(task, (int)length);
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.TransferLength == 0)
        {
            return default;
        }

        int received = task.Buffer is null ? 0 : Math.Min(task.DataLength, task.TransferLength);
        ReadOnlySpan<byte> data = task.Buffer.AsSpan(0, received);
        if (!ExtendedCopyParameterList.TryParse(data, out ExtendedCopyParameterList? list, out CopyParameterError error))
        {
            task.Fail(error.Reason, error.FieldByte, error.FieldBit, inCdb: false);
            return default;
        }

        LogicalUnit unit = task.Entry.Unit;
        NexusState state = unit.Track(task.Nexus);
        CopyResults results = state.CopyResults ?? Interlocked.CompareExchange(ref state.CopyResults, new CopyResults(), null) ?? state.CopyResults!;
        if (!results.TryBegin(list!.ListId, list.Usage, out CopyOperation operation, out bool inProgress))
        {
            // SPC-4 6.4.3.2: a list identifier already in use by a running copy of this nexus.
            task.Fail(inProgress ? SenseReason.OperationInProgress : SenseReason.InsufficientResources,
                inProgress ? ExtendedCopyParameterList.ListIdByte : SenseData.NoField, -1, inCdb: false);
            return default;
        }

        if (!unit.TryStartCopy())
        {
            task.Fail(SenseReason.InsufficientResources);
            operation.Finish(task.Status, task.Sense);
            results.End(operation);
            return default;
        }

        return RunAsync(task, unit, list, results, operation, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask RunAsync(ScsiTask task, LogicalUnit unit, ExtendedCopyParameterList list, CopyResults results,
        CopyOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            await SegmentCopier.RunAsync(task, list, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Aborted by a task management function: what was copied stays copied, the status says
            // the copy ended with errors.
            task.Fail(SenseReason.AbortedCommand);
            throw;
        }
        finally
        {
            unit.EndCopy();
            operation.Finish(task.Status, task.Sense);
            results.End(operation);
        }
    }
}
