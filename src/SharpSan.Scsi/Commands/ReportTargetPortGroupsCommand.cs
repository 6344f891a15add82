using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// MAINTENANCE IN / REPORT TARGET PORT GROUPS (SPC-4 6.35), needed because standard INQUIRY reports
/// TPGS=01b (implicit ALUA): one group, id 0, active/optimized, containing the addressed target port.
/// </summary>
internal static class ReportTargetPortGroupsCommand
{
    public const byte ServiceActionReportTargetPortGroups = 0x0A;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0xE0) > 0x20)
        {
            // PARAMETER DATA FORMAT: 000b (length only) and 001b (extended header) are defined.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 7);
            return false;
        }

        return DataIn.Allocate(task, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]), int.MaxValue));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        bool extended = (task.CdbBuffer[1] & 0xE0) == 0x20;
        int header = extended ? 8 : 4;
        Span<byte> data = stackalloc byte[header + 12];
        data.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(data, 12);
        if (extended)
        {
            data[4] = 0x10; // FORMAT TYPE 001b; implicit transition time 0
        }

        Span<byte> descriptor = data[header..];
        descriptor[0] = 0x80;        // PREF=1, ASYMMETRIC ACCESS STATE 0h active/optimized
        descriptor[1] = 0x01;        // AO_SUP
        BinaryPrimitives.WriteUInt16BigEndian(descriptor[2..], 0);
        descriptor[5] = 0x02;        // STATUS CODE: implicit change
        descriptor[7] = 1;           // TARGET PORT COUNT
        BinaryPrimitives.WriteUInt16BigEndian(descriptor[10..], task.Nexus.RelativeTargetPortId);
        DataIn.Respond(task, data);
        return default;
    }
}
