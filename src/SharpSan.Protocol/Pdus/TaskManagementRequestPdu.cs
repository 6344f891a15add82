namespace SharpSan.Protocol;

/// <summary>
/// Task Management Function Request (RFC 7143 §11.5, opcode 0x02, initiator to target). No data segment.
/// </summary>
/// <remarks>
/// Layout: byte 1 1 Function(7 bits); LUN 8-15 (reserved for functions without a LU); ITT 16; Referenced
/// Task Tag 20 (ABORT TASK: the task's ITT, else 0xffffffff); CmdSN 24; ExpStatSN 28; RefCmdSN 32 (ABORT
/// TASK: the task's CmdSN); ExpDataSN 36 (task reassignment only). Bytes 40-47 reserved.
/// </remarks>
public readonly record struct TaskManagementRequestPdu
{
    /// <summary>The RFC's TMF requests are usually immediate (§11.5); the bit is the sender's choice.</summary>
    public bool Immediate { get; init; }
    public TaskManagementFunction Function { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint ReferencedTaskTag { get; init; }
    /// <summary>CmdSN and ExpStatSN (bytes 24-31).</summary>
    public InitiatorSequenceNumbers Sequence { get; init; }
    public uint RefCmdSN { get; init; }
    public uint ExpDataSN { get; init; }

    public void Encode(Span<byte> bhs)
    {
        var b = PduFields.Begin(bhs, Opcode.TaskManagementRequest, Immediate, (byte)(0x80 | ((byte)Function & 0x7F)), 0);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, ReferencedTaskTag);
        Sequence.WriteTo(b);
        PduFields.Put(b, 32, RefCmdSN);
        PduFields.Put(b, 36, ExpDataSN);
    }

    public static TaskManagementRequestPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static TaskManagementRequestPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new TaskManagementRequestPdu
        {
            Immediate = (b[0] & 0x40) != 0,
            Function = (TaskManagementFunction)(b[1] & 0x7F),
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            ReferencedTaskTag = PduFields.U32(b, 20),
            Sequence = InitiatorSequenceNumbers.Read(b),
            RefCmdSN = PduFields.U32(b, 32),
            ExpDataSN = PduFields.U32(b, 36),
        };
    }
}
