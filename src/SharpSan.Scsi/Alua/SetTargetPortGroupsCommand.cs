using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// MAINTENANCE OUT / SET TARGET PORT GROUPS (SPC-4 6.38): explicit asymmetric access state changes.
/// The parameter list is a 4-byte reserved header and 4-byte set target port group descriptors
/// (ASYMMETRIC ACCESS STATE, TARGET PORT GROUP). Every descriptor is checked before any group moves, so
/// a bad list changes nothing. A port whose group does not allow explicit ALUA does not support the
/// command: INVALID FIELD IN CDB on the service action, as for any unsupported service action
/// (SPC-4 4.2.5.1; LIO answers INVALID COMMAND OPERATION CODE).
/// </summary>
internal static class SetTargetPortGroupsCommand
{
    public const byte ServiceAction = 0x0A;

    /// <summary>Longest parameter list accepted: room for 16383 descriptors, far more groups than any
    /// unit has; a longer list is refused before data moves.</summary>
    private const int MaxParameterListLength = 65536;

    private const int HeaderLength = 4;
    private const int DescriptorLength = 4;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        AluaGroups alua = task.Entry.Unit.Alua;
        if ((alua.GroupOf(task.Nexus.RelativeTargetPortId).Settings.AccessType & AluaAccessType.Explicit) == 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 4);
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
        if (length > MaxParameterListLength)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 6, 7);
            return false;
        }

        // SPC-4 6.38: a PARAMETER LIST LENGTH of zero is not an error; nothing changes.
        return DataOut.Expect(task, (int)length);
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        int length = task.TransferLength;
        if (length == 0)
        {
            return default;
        }

        if (!DataOut.TryReceive(task, out ReadOnlySpan<byte> list))
        {
            return default;
        }

        if (length < HeaderLength || (length - HeaderLength) % DescriptorLength != 0)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return default;
        }

        AluaGroups alua = task.Entry.Unit.Alua;
        var changes = new List<(TargetPortGroup Group, AsymmetricAccessState State)>();
        for (int offset = HeaderLength; offset < length; offset += DescriptorLength)
        {
            var state = (AsymmetricAccessState)(list[offset] & 0x0F);
            ushort id = BinaryPrimitives.ReadUInt16BigEndian(list[(offset + 2)..]);
            TargetPortGroup? group = alua.FindById(id);
            if (group is null || (group.Settings.AccessType & AluaAccessType.Explicit) == 0 || changes.Exists(c => ReferenceEquals(c.Group, group)))
            {
                // An unknown group, one that only changes implicitly, or a group named twice.
                task.Fail(SenseReason.InvalidFieldInParameterList, offset + 2, -1, inCdb: false);
                return default;
            }

            // Only the primary states can be requested for a group (SPC-4 6.38): Transitioning is the
            // device server's, LBA dependent is not supported, and Offline names a target port
            // (a secondary state this device server does not set through SET TARGET PORT GROUPS).
            bool requestable = state is AsymmetricAccessState.ActiveOptimized or AsymmetricAccessState.ActiveNonOptimized
                or AsymmetricAccessState.Standby or AsymmetricAccessState.Unavailable;
            if (!requestable || !group.Settings.SupportsState(state))
            {
                task.Fail(SenseReason.InvalidFieldInParameterList, offset, 3, inCdb: false);
                return default;
            }

            changes.Add((group, state));
        }

        return alua.SetStatesAsync(changes, task.Nexus);
    }
}
