using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// PERSISTENT RESERVE IN (SPC-4 6.15): READ KEYS, READ RESERVATION, REPORT CAPABILITIES and READ FULL
/// STATUS. The data is built whole and cut to the ALLOCATION LENGTH (SPC-4 4.2.5.6); ADDITIONAL LENGTH
/// always tells the whole length.
/// </summary>
internal static class PersistentReserveInCommand
{
    public const byte ReadKeys = 0x00;
    public const byte ReadReservation = 0x01;
    public const byte ReportCapabilities = 0x02;
    public const byte ReadFullStatus = 0x03;

    public static bool Parse(ScsiTask task) =>
        DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(task.CdbBuffer[7..]));

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        LogicalUnit unit = task.Entry.Unit;
        PersistentReservationState state = unit.PersistentReservations.State;
        byte serviceAction = (byte)(task.CdbBuffer[1] & 0x1F);
        int length = serviceAction switch
        {
            ReadKeys => 8 + (8 * state.Registrations.Count),
            ReadReservation => state.IsReserved ? 24 : 8,
            ReportCapabilities => 8,
            _ => FullStatusLength(state),
        };

        byte[] data = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> span = data.AsSpan(0, length);
            span.Clear();
            switch (serviceAction)
            {
                case ReadKeys:
                    BuildReadKeys(state, span);
                    break;
                case ReadReservation:
                    BuildReadReservation(state, span);
                    break;
                case ReportCapabilities:
                    BuildReportCapabilities(unit.PersistentReservations, span);
                    break;
                default:
                    BuildReadFullStatus(state, span);
                    break;
            }

            DataIn.Respond(task, span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }

        return default;
    }

    /// <summary>SPC-4 6.15.2: PRGENERATION, ADDITIONAL LENGTH, then each registered key.</summary>
    private static void BuildReadKeys(PersistentReservationState state, Span<byte> data)
    {
        BinaryPrimitives.WriteUInt32BigEndian(data, state.Generation);
        BinaryPrimitives.WriteUInt32BigEndian(data[4..], (uint)(data.Length - 8));
        int offset = 8;
        foreach (Registration registration in state.Registrations)
        {
            BinaryPrimitives.WriteUInt64BigEndian(data[offset..], registration.Key);
            offset += 8;
        }
    }

    /// <summary>SPC-4 6.15.3: the reservation's key (zero for an all registrants type, whose holders are
    /// every registrant), SCOPE (LU_SCOPE, 0h) and TYPE.</summary>
    private static void BuildReadReservation(PersistentReservationState state, Span<byte> data)
    {
        BinaryPrimitives.WriteUInt32BigEndian(data, state.Generation);
        if (!state.IsReserved)
        {
            return;
        }

        BinaryPrimitives.WriteUInt32BigEndian(data[4..], 16);
        BinaryPrimitives.WriteUInt64BigEndian(data[8..], state.Holder?.Key ?? 0);
        data[21] = (byte)state.Type;
    }

    /// <summary>SPC-4 6.15.4: CRH (5.13.3 is implemented), SIP_C, ATP_C, PTPL_C when a store can keep
    /// APTPL state; TMV with every type in the mask; ALLOW COMMANDS 001b (TEST UNIT READY passes Write
    /// Exclusive and Exclusive Access reservations); PTPL_A the APTPL in force.</summary>
    private static void BuildReportCapabilities(PersistentReservationManager reservations, Span<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(data, 8);
        data[2] = (byte)(0x10 | 0x08 | 0x04 | (reservations.PersistThroughPowerLossCapable ? 0x01 : 0x00));
        data[3] = (byte)(0x80 | 0x10 | (reservations.State.Aptpl ? 0x01 : 0x00));
        BinaryPrimitives.WriteUInt16BigEndian(data[4..], PersistentReservationTypes.SupportedMask);
    }

    private static int FullStatusLength(PersistentReservationState state)
    {
        int length = 8;
        foreach (Registration registration in state.Registrations)
        {
            length += 24 + IscsiTransportId.LengthOf(registration);
        }

        return length;
    }

    /// <summary>SPC-4 6.15.5: one descriptor per registration: key, ALL_TG_PT, R_HOLDER with the
    /// reservation's scope and type, RELATIVE TARGET PORT IDENTIFIER and the initiator's TransportID
    /// (SPC-4 7.6.4.6; format 01b with the ISID for a port).</summary>
    private static void BuildReadFullStatus(PersistentReservationState state, Span<byte> data)
    {
        BinaryPrimitives.WriteUInt32BigEndian(data, state.Generation);
        BinaryPrimitives.WriteUInt32BigEndian(data[4..], (uint)(data.Length - 8));
        int offset = 8;
        foreach (Registration registration in state.Registrations)
        {
            Span<byte> descriptor = data[offset..];
            BinaryPrimitives.WriteUInt64BigEndian(descriptor, registration.Key);
            bool holder = state.IsHolder(registration);
            descriptor[12] = (byte)((registration.AllTargetPorts ? 0x02 : 0x00) | (holder ? 0x01 : 0x00));
            if (holder)
            {
                descriptor[13] = (byte)state.Type;
            }

            if (!registration.AllTargetPorts)
            {
                BinaryPrimitives.WriteUInt16BigEndian(descriptor[18..], registration.RelativeTargetPortId);
            }

            int transportId = IscsiTransportId.Write(registration, descriptor[24..]);
            BinaryPrimitives.WriteUInt32BigEndian(descriptor[20..], (uint)transportId);
            offset += 24 + transportId;
        }
    }
}
