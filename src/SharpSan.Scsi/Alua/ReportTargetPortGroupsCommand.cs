using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// MAINTENANCE IN / REPORT TARGET PORT GROUPS (SPC-4 6.35): one descriptor for every target port group
/// of the logical unit that has member ports, with its state, PREF, supported states, STATUS CODE and
/// the relative target port identifiers of its members. The port the command came through is always
/// reported, in its group, even when the daemon did not declare it (a unit no daemon configured).
/// </summary>
internal static class ReportTargetPortGroupsCommand
{
    public const byte ServiceAction = 0x0A;

    /// <summary>PARAMETER DATA FORMAT 001b: the extended header with IMPLICIT TRANSITION TIME.</summary>
    private const int ExtendedFormat = 0x20;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0xE0) > ExtendedFormat)
        {
            // PARAMETER DATA FORMAT: 000b (length only) and 001b (extended header) are defined.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 7);
            return false;
        }

        return DataIn.Allocate(task, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]), int.MaxValue));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        bool extended = (task.CdbBuffer[1] & 0xE0) == ExtendedFormat;
        AluaGroups alua = task.Entry.Unit.Alua;
        ushort addressed = task.Nexus.RelativeTargetPortId;
        TargetPortGroup own = alua.GroupOf(addressed);
        TargetPortGroup[] groups = alua.ReportedGroups;
        byte[] data = Build(groups, own, addressed, extended);
        DataIn.Respond(task, data);
        return default;
    }

    /// <summary>The parameter data (SPC-4 6.35 tables 280-284): header, then per group an 8-byte
    /// descriptor followed by 4-byte target port descriptors. TARGET PORT COUNT is one byte: a group
    /// lists at most 255 ports.</summary>
    internal static byte[] Build(TargetPortGroup[] groups, TargetPortGroup own, ushort addressed, bool extended)
    {
        int header = extended ? 8 : 4;
        int length = header;
        foreach (TargetPortGroup group in groups)
        {
            int ports = PortCount(group, own, addressed);
            if (ports > 0)
            {
                length += 8 + (4 * ports);
            }
        }

        var data = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(length - 4)); // RETURN DATA LENGTH
        if (extended)
        {
            data[4] = 0x10; // FORMAT TYPE 001b
            // IMPLICIT TRANSITION TIME of the addressed port's group, as LIO reports it.
            data[5] = (byte)Math.Clamp(own.Settings.ImplicitTransitionSeconds, 0, 255);
        }

        int offset = header;
        foreach (TargetPortGroup group in groups)
        {
            int ports = PortCount(group, own, addressed);
            if (ports == 0)
            {
                continue;
            }

            Span<byte> descriptor = data.AsSpan(offset);
            descriptor[0] = (byte)((group.Settings.Preferred ? 0x80 : 0) | ((byte)group.State & 0x0F));
            descriptor[1] = (byte)group.Settings.Supported;
            BinaryPrimitives.WriteUInt16BigEndian(descriptor[2..], group.Id);
            descriptor[5] = (byte)group.Status;
            descriptor[7] = (byte)ports;
            int port = 8;
            int written = 0;
            foreach (ushort rtpi in group.Ports)
            {
                if (written == ports)
                {
                    break;
                }

                BinaryPrimitives.WriteUInt16BigEndian(descriptor[(port + 2)..], rtpi);
                port += 4;
                written++;
            }

            if (written < ports)
            {
                BinaryPrimitives.WriteUInt16BigEndian(descriptor[(port + 2)..], addressed);
                port += 4;
            }

            offset += port;
        }

        return data;
    }

    /// <summary>The member ports a group reports, the addressed one included when it is not declared.</summary>
    private static int PortCount(TargetPortGroup group, TargetPortGroup own, ushort addressed)
    {
        int count = group.Ports.Length;
        if (ReferenceEquals(group, own) && Array.IndexOf(group.Ports, addressed) < 0)
        {
            count++;
        }

        return Math.Min(count, 255);
    }
}
