using System.Buffers;
using System.Runtime.CompilerServices;
using Party = SharpSan.Scsi.ExtendedCopy.CopyAbortedSense.Party;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// Processes the segment descriptors of an accepted EXTENDED COPY in order (SPC-4 6.4.6): resolves the
/// copy targets, checks them as their own device servers would check a READ and a WRITE (block device,
/// block length, reservation, readiness, write protection, LBA range), then moves the data through the
/// backstores in large chunks of one pooled buffer. Like a WRITE, it takes no lock: a concurrent writer
/// to the same blocks sees the same ordering guarantees (none) as with two overlapping WRITEs. A failure
/// ends the command with COPY ABORTED (<see cref="CopyAbortedSense"/>); segments already done stay done.
/// </summary>
internal static class SegmentCopier
{
    private readonly record struct CopyPlan(LogicalUnit Source, LogicalUnit Destination, ulong SourceLba, ulong DestinationLba, long Bytes, int Chunk);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask RunAsync(ScsiTask task, ExtendedCopyParameterList list, CopyOperation operation, CancellationToken cancellationToken)
    {
        byte[]? buffer = null;
        try
        {
            for (int i = 0; i < list.Segments.Length; i++)
            {
                if (!TryPlan(task, list, i, out CopyPlan plan))
                {
                    return;
                }

                if (plan.Bytes > 0 && !(ReferenceEquals(plan.Source, plan.Destination) && plan.SourceLba == plan.DestinationLba))
                {
                    buffer ??= ArrayPool<byte>.Shared.Rent(CopyLimits.ChunkBytes);
                    if (!await CopyAsync(task, plan, i, buffer, operation, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }

                operation.SegmentDone();
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static bool TryPlan(ScsiTask task, ExtendedCopyParameterList list, int index, out CopyPlan plan)
    {
        plan = default;
        SegmentDescriptor segment = list.Segments[index];
        if (!TryTarget(task, list, index, segment.SourceIndex, SegmentDescriptor.SourceIndexByte, Party.Source, out LogicalUnit? source) ||
            !TryTarget(task, list, index, segment.DestinationIndex, SegmentDescriptor.DestinationIndexByte, Party.Destination, out LogicalUnit? destination))
        {
            return false;
        }

        int sourceBlock = source.Backstore.BlockSize;
        int destinationBlock = destination.Backstore.BlockSize;
        long bytes = (long)segment.BlockCount * (segment.DestinationCount ? destinationBlock : sourceBlock);
        if (bytes % sourceBlock != 0 || bytes % destinationBlock != 0)
        {
            // An inexact segment (SPC-4 6.4.6.5, CAT and PAD): not a whole number of blocks on both sides.
            CopyAbortedSense.Fail(task, SenseReason.IncorrectCopyTargetDeviceType, index, SegmentDescriptor.BlockCountByte, -1, inSegment: true);
            return false;
        }

        if (!InRange(source, segment.SourceLba, (ulong)(bytes / sourceBlock)))
        {
            CopyAbortedSense.Fail(task, SenseReason.CopyAborted, index, SegmentDescriptor.SourceLbaByte, -1, inSegment: true,
                Party.Source, SenseReason.LogicalBlockAddressOutOfRange);
            return false;
        }

        if (!InRange(destination, segment.DestinationLba, (ulong)(bytes / destinationBlock)))
        {
            CopyAbortedSense.Fail(task, SenseReason.CopyAborted, index, SegmentDescriptor.DestinationLbaByte, -1, inSegment: true,
                Party.Destination, SenseReason.LogicalBlockAddressOutOfRange);
            return false;
        }

        int granule = Lcm(sourceBlock, destinationBlock);
        int chunk = Math.Max(granule, CopyLimits.ChunkBytes / granule * granule);
        plan = new CopyPlan(source, destination, segment.SourceLba, segment.DestinationLba, bytes, chunk);
        return true;
    }

    /// <summary>Resolves one side of a segment and checks it as its device server would check the READ
    /// (source) or WRITE (destination) the copy stands for.</summary>
    private static bool TryTarget(ScsiTask task, ExtendedCopyParameterList list, int index, int cscdIndex, int indexByte, Party party,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LogicalUnit? unit)
    {
        unit = null;
        if (cscdIndex >= list.Cscds.Length)
        {
            CopyAbortedSense.Fail(task, SenseReason.UnreachableCopyTarget, index, indexByte, -1, inSegment: true);
            return false;
        }

        CscdDescriptor cscd = list.Cscds[cscdIndex];
        LogicalUnit self = task.Entry.Unit;
        unit = CopyTargetIdentity.Resolve(self, cscd.DesignatorType, cscd.Designator);
        if (unit is null || unit.Reservation.IsReservedByOther(task.Nexus))
        {
            // Not served here, named ambiguously, or reserved by another nexus: the application client
            // falls back to copying through itself, as LIO's COPY TARGET DEVICE NOT REACHABLE intends.
            CopyAbortedSense.Fail(task, SenseReason.CopyTargetDeviceNotReachable, index, cscd.Offset + 8, -1, inSegment: false);
            return false;
        }

        if (unit.DeviceType != PeripheralDeviceType.DirectAccessBlock)
        {
            CopyAbortedSense.Fail(task, SenseReason.IncorrectCopyTargetDeviceType, index, cscd.Offset + 1, 4, inSegment: false);
            return false;
        }

        if (cscd.DiskBlockLength != (uint)unit.Backstore.BlockSize)
        {
            // SPC-4 6.4.5.2.1: DISK BLOCK LENGTH must be the copy target's logical block length.
            CopyAbortedSense.Fail(task, SenseReason.IncorrectCopyTargetDeviceType, index, cscd.Offset + 29, -1, inSegment: false);
            return false;
        }

        SenseReason refusal = unit.NotReadyReason;
        if (refusal == SenseReason.None && party == Party.Destination &&
            (unit.WriteProtected || (ReferenceEquals(unit, self) && task.Entry.WriteProtected)))
        {
            refusal = SenseReason.WriteProtected;
        }

        if (refusal != SenseReason.None)
        {
            CopyAbortedSense.Fail(task, SenseReason.CopyAborted, index, indexByte, -1, inSegment: true, party, refusal);
            return false;
        }

        return true;
    }

    private static bool InRange(LogicalUnit unit, ulong lba, ulong blocks)
    {
        ulong capacity = unit.Backstore.BlockCount;
        return lba <= capacity && blocks <= capacity - lba;
    }

    /// <summary>Moves the segment's bytes chunk by chunk. Within one logical unit, a destination that
    /// overlaps the source further on is copied from the end, so every block is read before it is
    /// overwritten (the result is the source as it was).</summary>
    private static async ValueTask<bool> CopyAsync(ScsiTask task, CopyPlan plan, int index, byte[] buffer,
        CopyOperation operation, CancellationToken cancellationToken)
    {
        IBackstore source = plan.Source.Backstore;
        IBackstore destination = plan.Destination.Backstore;
        int sourceBlock = source.BlockSize;
        int destinationBlock = destination.BlockSize;
        bool backward = ReferenceEquals(plan.Source, plan.Destination) && plan.DestinationLba > plan.SourceLba &&
            plan.DestinationLba - plan.SourceLba < (ulong)(plan.Bytes / sourceBlock);
        for (long done = 0; done < plan.Bytes;)
        {
            int length = (int)Math.Min(plan.Chunk, plan.Bytes - done);
            long offset = backward ? plan.Bytes - done - length : done;
            Memory<byte> chunk = buffer.AsMemory(0, length);
            try
            {
                await source.ReadAsync(plan.SourceLba + (ulong)(offset / sourceBlock), chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Fail(task, index, SegmentDescriptor.SourceLbaByte, Party.Source, e is IOException ? SenseReason.UnrecoveredReadError : SenseReason.None);
                return false;
            }

            try
            {
                await destination.WriteAsync(plan.DestinationLba + (ulong)(offset / destinationBlock), chunk, WriteFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Fail(task, index, SegmentDescriptor.DestinationLbaByte, Party.Destination, e is IOException ? SenseReason.WriteError : SenseReason.None);
                return false;
            }

            done += length;
            operation.Transferred(length);
        }

        return true;
    }

    /// <summary>A medium error of a copy target, or a copy target taken away (its backstore closed by a
    /// configuration change) while the copy ran.</summary>
    private static void Fail(ScsiTask task, int index, int fieldByte, Party party, SenseReason targetReason)
    {
        if (targetReason == SenseReason.None)
        {
            CopyAbortedSense.Fail(task, SenseReason.CopyTargetDeviceNotReachable, index, fieldByte, -1, inSegment: true);
            return;
        }

        CopyAbortedSense.Fail(task, SenseReason.CopyAborted, index, fieldByte, -1, inSegment: true, party, targetReason);
    }

    private static int Lcm(int a, int b)
    {
        int x = a, y = b;
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        return a / x * b;
    }
}
