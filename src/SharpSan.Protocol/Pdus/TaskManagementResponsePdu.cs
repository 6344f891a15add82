namespace SharpSan.Protocol;

/// <summary>
/// Task Management Function Response (RFC 7143 §11.6, opcode 0x22, target to initiator). No data segment.
/// </summary>
/// <remarks>
/// Layout: byte 1 1; Response 2; ITT 16; StatSN 24; ExpCmdSN 28; MaxCmdSN 32. Bytes 3, 8-15, 20-23 and
/// 36-47 reserved.
/// </remarks>
public readonly record struct TaskManagementResponsePdu
{
    public TaskManagementResponseCode Response { get; init; }
    public uint InitiatorTaskTag { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }

    public void Encode(Span<byte> bhs)
    {
        var b = PduFields.Begin(bhs, Opcode.TaskManagementResponse, false, 0x80, 0);
        b[2] = (byte)Response;
        PduFields.Put(b, 16, InitiatorTaskTag);
        Sequence.WriteTo(b);
    }

    public static TaskManagementResponsePdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static TaskManagementResponsePdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new TaskManagementResponsePdu
        {
            Response = (TaskManagementResponseCode)b[2],
            InitiatorTaskTag = PduFields.U32(b, 16),
            Sequence = TargetSequenceNumbers.Read(b),
        };
    }
}
