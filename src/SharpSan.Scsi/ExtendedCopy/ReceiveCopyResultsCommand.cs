using System.Buffers.Binary;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// RECEIVE COPY RESULTS for EXTENDED COPY(LID1) (SPC-4 6.18): COPY STATUS (00h), RECEIVE DATA (01h),
/// OPERATING PARAMETERS (03h) and FAILED SEGMENT DETAILS (04h), for the copies of the requesting I_T
/// nexus named by LIST IDENTIFIER (CDB byte 2).
/// </summary>
internal static class ReceiveCopyResultsCommand
{
    public const byte CopyStatus = 0x00;
    public const byte ReceiveData = 0x01;
    public const byte OperatingParameters = 0x03;
    public const byte FailedSegmentDetails = 0x04;

    private const int ListIdByte = 2;
    private const int AllocationLengthByte = 10;

    /// <summary>COPY STATUS parameter data length (SPC-4 6.18.2, table 367).</summary>
    private const int CopyStatusLength = 12;

    /// <summary>FAILED SEGMENT DETAILS header before the sense data (SPC-4 6.18.5, table 373).</summary>
    private const int FailedSegmentHeaderLength = 60;

    public static bool Parse(ScsiTask task)
    {
        uint allocation = BinaryPrimitives.ReadUInt32BigEndian(task.CdbBuffer[AllocationLengthByte..]);
        return DataIn.Allocate(task, (int)Math.Min(allocation, int.MaxValue));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        byte serviceAction = (byte)(task.CdbBuffer[1] & 0x1F);
        if (serviceAction == OperatingParameters)
        {
            Span<byte> parameters = stackalloc byte[64];
            DataIn.Respond(task, parameters[..BuildOperatingParameters(parameters)]);
            return default;
        }

        byte listId = task.CdbBuffer[ListIdByte];
        CopyResults? results = task.Entry.Unit.Track(task.Nexus).CopyResults;
        CopyOperation? operation = results?.Find(listId);
        if (operation is null)
        {
            // SPC-4 6.18.1: no copy of this nexus has that list identifier.
            task.Fail(SenseReason.InvalidFieldInCdb, ListIdByte, -1);
            return default;
        }

        Span<byte> data = stackalloc byte[FailedSegmentHeaderLength + ScsiTask.MaxSenseLength];
        int length;
        switch (serviceAction)
        {
            case CopyStatus:
                length = BuildCopyStatus(operation, data);
                if (operation.Finished && task.TransferLength >= length)
                {
                    operation.StatusDelivered = true;
                }

                break;
            case ReceiveData:
                // No supported segment type holds data (HELD DATA LIMIT 0): AVAILABLE DATA is zero.
                data[..4].Clear();
                length = 4;
                break;
            default:
                length = BuildFailedSegmentDetails(operation, data);
                if (operation.Finished && length > 4 && task.TransferLength >= length)
                {
                    operation.DetailsDelivered = true;
                }

                break;
        }

        DataIn.Respond(task, data[..length]);
        results!.DiscardIfDelivered(operation);
        return default;
    }

    /// <summary>SPC-4 6.18.2 COPY STATUS: COPY MANAGER STATUS, SEGMENTS PROCESSED and TRANSFER COUNT,
    /// in the smallest unit (bytes, KiB, MiB...) that fits the 32-bit count.</summary>
    private static int BuildCopyStatus(CopyOperation operation, Span<byte> data)
    {
        data[..CopyStatusLength].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(data, CopyStatusLength - 4);
        data[4] = (byte)operation.Status; // HDD=0: no held data was discarded
        BinaryPrimitives.WriteUInt16BigEndian(data[5..], (ushort)Math.Min(operation.SegmentsProcessed, ushort.MaxValue));
        long count = operation.BytesTransferred;
        byte units = 0;
        while (count > uint.MaxValue)
        {
            count >>= 10;
            units++;
        }

        data[7] = units; // TRANSFER COUNT UNITS: 00h bytes, 01h kibibytes, 02h mebibytes...
        BinaryPrimitives.WriteUInt32BigEndian(data[8..], (uint)count);
        return CopyStatusLength;
    }

    /// <summary>SPC-4 6.18.5 FAILED SEGMENT DETAILS: the EXTENDED COPY's status and sense data when it
    /// failed; only AVAILABLE DATA (zero) while it runs or when it succeeded.</summary>
    private static int BuildFailedSegmentDetails(CopyOperation operation, Span<byte> data)
    {
        if (!operation.Finished || operation.CommandStatus == ScsiStatus.Good)
        {
            data[..4].Clear();
            return 4;
        }

        byte[] sense = operation.Sense;
        int length = FailedSegmentHeaderLength + sense.Length;
        data[..FailedSegmentHeaderLength].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(length - 4));
        data[56] = (byte)operation.CommandStatus;
        BinaryPrimitives.WriteUInt16BigEndian(data[58..], (ushort)sense.Length);
        sense.CopyTo(data[FailedSegmentHeaderLength..]);
        return length;
    }

    /// <summary>SPC-4 6.18.4 OPERATING PARAMETERS (table 371): the limits of <see cref="CopyLimits"/>.</summary>
    public static int BuildOperatingParameters(Span<byte> data)
    {
        ReadOnlySpan<byte> codes = CopyLimits.ImplementedDescriptorTypeCodes;
        int length = 44 + codes.Length;
        data[..length].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(length - 4));
        data[4] = 0x01; // SNLID: LIST ID USAGE 11b (no list identifier) is supported
        BinaryPrimitives.WriteUInt16BigEndian(data[8..], CopyLimits.MaxCscdDescriptors);
        BinaryPrimitives.WriteUInt16BigEndian(data[10..], CopyLimits.MaxSegmentDescriptors);
        BinaryPrimitives.WriteUInt32BigEndian(data[12..], CopyLimits.MaxDescriptorListLength);
        BinaryPrimitives.WriteUInt32BigEndian(data[16..], CopyLimits.MaxSegmentLength);
        BinaryPrimitives.WriteUInt32BigEndian(data[20..], CopyLimits.MaxInlineDataLength);
        BinaryPrimitives.WriteUInt32BigEndian(data[24..], CopyLimits.HeldDataLimit);
        BinaryPrimitives.WriteUInt32BigEndian(data[28..], 0); // MAXIMUM STREAM DEVICE TRANSFER SIZE: no stream devices
        BinaryPrimitives.WriteUInt16BigEndian(data[34..], CopyLimits.TotalConcurrentCopies);
        data[36] = CopyLimits.MaxConcurrentCopies;
        data[37] = CopyLimits.DataSegmentGranularityLog2;
        data[38] = 0; // INLINE DATA GRANULARITY (log 2)
        data[39] = 0; // HELD DATA GRANULARITY (log 2)
        data[43] = (byte)codes.Length;
        codes.CopyTo(data[44..]);
        return length;
    }
}
