using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// PERSISTENT RESERVE OUT (SPC-4 6.16): checks the CDB before any data moves, decodes the parameter list
/// (the 24-byte basic list, SPEC_I_PT's TransportIDs, REGISTER AND MOVE's list), and hands the request
/// to the logical unit's <see cref="PersistentReservationManager"/>; then establishes the unit
/// attentions and, for PREEMPT AND ABORT, has the fabric abort the preempted nexuses' tasks.
/// </summary>
internal static class PersistentReserveOutCommand
{
    /// <summary>The basic parameter list (SPC-4 6.16.3) and REGISTER AND MOVE's header (6.16.4).</summary>
    public const int BasicLength = 24;

    /// <summary>Largest SPEC_I_PT list taken: about 250 TransportIDs. Longer ones ask for more
    /// registrations than the device server holds (INSUFFICIENT REGISTRATION RESOURCES).</summary>
    public const int MaxParameterListLength = 64 * 1024;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        var action = (PersistentReserveOutAction)(cdb[1] & 0x1F);
        if (action is PersistentReserveOutAction.Reserve or PersistentReserveOutAction.Release
            or PersistentReserveOutAction.Preempt or PersistentReserveOutAction.PreemptAndAbort)
        {
            // SPC-4 6.16.2: only LU_SCOPE (0h) exists; TYPE must be one of table 170's.
            if ((cdb[2] & 0xF0) != 0)
            {
                task.Fail(SenseReason.InvalidFieldInCdb, 2, 7);
                return false;
            }

            if (!PersistentReservationTypes.IsValid(cdb[2] & 0x0F))
            {
                task.Fail(SenseReason.InvalidFieldInCdb, 2, 3);
                return false;
            }
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(cdb[5..]);

        // SPC-4 6.16.3: 24 bytes, more only with SPEC_I_PT (REGISTER) or for REGISTER AND MOVE.
        bool longer = action is PersistentReserveOutAction.Register or PersistentReserveOutAction.RegisterAndMove;
        if (length < BasicLength || (!longer && length != BasicLength) ||
            (action == PersistentReserveOutAction.RegisterAndMove && length > BasicLength + IscsiTransportId.MaxLength))
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return false;
        }

        if (length > MaxParameterListLength)
        {
            task.Fail(SenseReason.InsufficientRegistrationResources);
            return false;
        }

        task.Direction = DataDirection.Write;
        task.TransferLength = (int)length;
        return true;
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (!DataOut.TryReceive(task, out _))
        {
            return default;
        }

        LogicalUnit unit = task.Entry.Unit;
        PersistentReserveOutRequest? request = Decode(task, unit.PersistentReservations.PersistThroughPowerLossCapable);
        return request is null ? default : ApplyAsync(task, unit, request, cancellationToken);
    }

    private static async ValueTask ApplyAsync(ScsiTask task, LogicalUnit unit, PersistentReserveOutRequest request, CancellationToken cancellationToken)
    {
        PersistentReserveOutResult result = await unit.PersistentReservations.ApplyAsync(task.Nexus, request, unit.TargetPortName, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case ScsiStatus.ReservationConflict:
                task.Status = ScsiStatus.ReservationConflict;
                return;
            case ScsiStatus.CheckCondition:
                task.Fail(result.Reason, result.FieldByte, result.FieldBit, result.InCdb);
                return;
        }

        ItNexus sender = task.Nexus;
        foreach ((Registration registration, ushort condition) in result.UnitAttentions)
        {
            unit.EstablishUnitAttention(registration, sender, condition);
        }

        // SPC-4 5.13.11.5: the preempted I_T nexuses' tasks are aborted before PREEMPT AND ABORT completes.
        if (result.Preempted.Count > 0 && unit.TaskAborter is { } aborter)
        {
            List<Registration> preempted = result.Preempted;
            await aborter.AbortTasksAsync(unit, nexus => !nexus.SameNexusAs(sender) && preempted.Exists(r => r.Matches(nexus))).ConfigureAwait(false);
        }
    }

    /// <summary>Decodes the parameter list; null after failing the task with the field in error.</summary>
    private static PersistentReserveOutRequest? Decode(ScsiTask task, bool aptplCapable)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        ReadOnlySpan<byte> list = task.Buffer.AsSpan(0, task.TransferLength);
        var action = (PersistentReserveOutAction)(cdb[1] & 0x1F);
        ulong key = BinaryPrimitives.ReadUInt64BigEndian(list);
        ulong serviceActionKey = BinaryPrimitives.ReadUInt64BigEndian(list[8..]);
        var type = (PersistentReservationType)(cdb[2] & 0x0F);
        if (action == PersistentReserveOutAction.RegisterAndMove)
        {
            return DecodeRegisterAndMove(task, list, key, serviceActionKey, aptplCapable);
        }

        bool registering = action is PersistentReserveOutAction.Register or PersistentReserveOutAction.RegisterAndIgnoreExistingKey;
        bool specifyInitiatorPorts = (list[20] & 0x08) != 0;
        bool aptpl = registering && (list[20] & 0x01) != 0;
        if (specifyInitiatorPorts && action != PersistentReserveOutAction.Register)
        {
            // SPC-4 6.16.3: SPEC_I_PT is valid for REGISTER only.
            task.Fail(SenseReason.InvalidFieldInParameterList, 20, 3, inCdb: false);
            return null;
        }

        if (aptpl && !aptplCapable)
        {
            // PTPL_C=0: the device server cannot persist through power loss (SPC-4 6.16.3).
            task.Fail(SenseReason.InvalidFieldInParameterList, 20, 0, inCdb: false);
            return null;
        }

        List<TransportIdEntry> ids = [];
        if (specifyInitiatorPorts)
        {
            if (!DecodeTransportIds(task, list, ids))
            {
                return null;
            }
        }
        else if (list.Length != BasicLength)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return null;
        }

        return new PersistentReserveOutRequest
        {
            Action = action,
            Type = type,
            ReservationKey = key,
            ServiceActionReservationKey = serviceActionKey,
            AllTargetPorts = registering && (list[20] & 0x04) != 0,
            Aptpl = aptpl,
            TransportIds = ids,
        };
    }

    /// <summary>SPEC_I_PT (SPC-4 6.16.3 table 172): TRANSPORTID PARAMETER DATA LENGTH at byte 24, then
    /// the TransportIDs filling exactly the rest of the list.</summary>
    private static bool DecodeTransportIds(ScsiTask task, ReadOnlySpan<byte> list, List<TransportIdEntry> ids)
    {
        if (list.Length < BasicLength + 4 || BinaryPrimitives.ReadUInt32BigEndian(list[BasicLength..]) != (uint)(list.Length - BasicLength - 4))
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return false;
        }

        int offset = BasicLength + 4;
        while (offset < list.Length)
        {
            int length = IscsiTransportId.Parse(list[offset..], out string name, out string? isid, out int errorByte, out int errorBit);
            if (length == -2)
            {
                task.Fail(SenseReason.ParameterListLengthError);
                return false;
            }

            if (length < 0)
            {
                task.Fail(SenseReason.InvalidFieldInParameterList, offset + errorByte, errorBit, inCdb: false);
                return false;
            }

            ids.Add(new TransportIdEntry(name, isid, offset));
            offset += length;
        }

        return true;
    }

    /// <summary>REGISTER AND MOVE's list (SPC-4 6.16.4 table 173): UNREG and APTPL in byte 17, RELATIVE
    /// TARGET PORT IDENTIFIER, TRANSPORTID PARAMETER DATA LENGTH and one TransportID.</summary>
    private static PersistentReserveOutRequest? DecodeRegisterAndMove(ScsiTask task, ReadOnlySpan<byte> list, ulong key, ulong serviceActionKey, bool aptplCapable)
    {
        uint idLength = BinaryPrimitives.ReadUInt32BigEndian(list[20..]);
        if (idLength > (uint)(list.Length - BasicLength))
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return null;
        }

        bool aptpl = (list[17] & 0x01) != 0;
        if (aptpl && !aptplCapable)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 17, 0, inCdb: false);
            return null;
        }

        int length = IscsiTransportId.Parse(list.Slice(BasicLength, (int)idLength), out string name, out string? isid, out int errorByte, out int errorBit);
        if (length == -2)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return null;
        }

        if (length < 0)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, BasicLength + errorByte, errorBit, inCdb: false);
            return null;
        }

        return new PersistentReserveOutRequest
        {
            Action = PersistentReserveOutAction.RegisterAndMove,
            ReservationKey = key,
            ServiceActionReservationKey = serviceActionKey,
            Aptpl = aptpl,
            Unregister = (list[17] & 0x02) != 0,
            RelativeTargetPortId = BinaryPrimitives.ReadUInt16BigEndian(list[18..]),
            TransportIds = [new TransportIdEntry(name, isid, BasicLength)],
        };
    }
}
