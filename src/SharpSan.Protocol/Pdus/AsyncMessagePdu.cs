namespace SharpSan.Protocol;

/// <summary>
/// Asynchronous Message (RFC 7143 §11.9, opcode 0x32, target to initiator): an event the initiator did not
/// ask for (a SCSI async event, a request to log out, a dropped connection...). ITT is always 0xffffffff.
/// </summary>
/// <remarks>
/// Layout: byte 1 1; LUN 8-15 (or reserved); ITT 16 (0xffffffff); StatSN 24; ExpCmdSN 28; MaxCmdSN 32;
/// AsyncEvent 36; AsyncVCode 37; Parameter1 38-39; Parameter2 40-41; Parameter3 42-43. Bytes 20-23 and
/// 44-47 reserved. The meaning of the parameters depends on the event (§11.9.1).
/// </remarks>
public readonly record struct AsyncMessagePdu
{
    public ulong Lun { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }
    public AsyncEvent AsyncEvent { get; init; }
    /// <summary>Vendor code, for <see cref="Protocol.AsyncEvent.VendorSpecific"/> only.</summary>
    public byte AsyncVCode { get; init; }
    public ushort Parameter1 { get; init; }
    public ushort Parameter2 { get; init; }
    public ushort Parameter3 { get; init; }

    /// <summary>The ITT of every Asynchronous Message (§11.9).</summary>
    public uint InitiatorTaskTag => Bhs.ReservedTag;

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.AsyncMessage, false, 0x80, dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, Bhs.ReservedTag);
        Sequence.WriteTo(b);
        b[36] = (byte)AsyncEvent;
        b[37] = AsyncVCode;
        PduFields.Put(b, 38, Parameter1);
        PduFields.Put(b, 40, Parameter2);
        PduFields.Put(b, 42, Parameter3);
    }

    public static AsyncMessagePdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static AsyncMessagePdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new AsyncMessagePdu
        {
            Lun = PduFields.U64(b, 8),
            Sequence = TargetSequenceNumbers.Read(b),
            AsyncEvent = (AsyncEvent)b[36],
            AsyncVCode = b[37],
            Parameter1 = PduFields.U16(b, 38),
            Parameter2 = PduFields.U16(b, 40),
            Parameter3 = PduFields.U16(b, 42),
        };
    }
}
