using System.Buffers.Binary;

namespace SharpSan.Scsi.Reporting;

/// <summary>
/// REPORT TIMESTAMP (MAINTENANCE IN, service action 0Fh; SPC-4 6.38) and SET TIMESTAMP (MAINTENANCE
/// OUT, service action 0Fh; SPC-4 6.45): the logical unit's <see cref="DeviceClock"/>. Both use the same
/// 12-byte timestamp parameter data (SPC-4 table 283 / 318): TIMESTAMP PARAMETER DATA LENGTH 0Ah,
/// TIMESTAMP ORIGIN, and the 48-bit TIMESTAMP at bytes 4..9.
/// </summary>
internal static class TimestampCommands
{
    public const byte ServiceAction = 0x0F;

    private const int ParameterDataLength = 12;

    public static bool ParseReport(ScsiTask task) =>
        DataIn.Allocate(task, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(task.CdbBuffer[6..]), int.MaxValue));

    public static ValueTask ExecuteReport(ScsiTask task, CancellationToken cancellationToken)
    {
        Span<byte> data = stackalloc byte[ParameterDataLength];
        data.Clear();
        ulong timestamp = task.Entry.Unit.Clock.Read(out byte origin);
        BinaryPrimitives.WriteUInt16BigEndian(data, ParameterDataLength - 2);
        data[2] = origin;
        WriteTimestamp(data[4..], timestamp);
        DataIn.Respond(task, data);
        return default;
    }

    /// <summary>SPC-4 6.45: a PARAMETER LIST LENGTH of 0 transfers nothing and is not an error.</summary>
    public static bool ParseSet(ScsiTask task)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(task.CdbBuffer[6..]);
        return DataOut.Expect(task, (int)Math.Min(length, int.MaxValue));
    }

    /// <summary>Sets the clock and establishes TIMESTAMP CHANGED (2Ah/10h) for every other I_T nexus
    /// (SPC-4 6.45). A list shorter than the 12-byte parameter data is a PARAMETER LIST LENGTH ERROR.</summary>
    public static ValueTask ExecuteSet(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.TransferLength == 0)
        {
            return default;
        }

        if (task.TransferLength < ParameterDataLength || task.DataLength < ParameterDataLength || task.Buffer is null)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return default;
        }

        ReadOnlySpan<byte> list = task.Buffer.AsSpan(0, ParameterDataLength);
        ulong timestamp = ((ulong)BinaryPrimitives.ReadUInt16BigEndian(list[4..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(list[6..]);
        task.Entry.Unit.SetTimestamp(timestamp, task.Nexus);
        return default;
    }

    private static void WriteTimestamp(Span<byte> destination, ulong timestamp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(timestamp >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)timestamp);
    }
}
