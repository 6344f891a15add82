namespace SharpSan.Scsi;

/// <summary>One command table row: the opcode, its CDB length and rules, and how to parse and run it.</summary>
internal sealed class CommandDescriptor
{
    public CommandDescriptor(ScsiOpcode opcode, int cdbLength, CommandFlags flags, CdbParser parse, CommandExecutor execute,
        InlineExecutor? tryInline = null)
    {
        TryInline = tryInline;
        Opcode = opcode;
        CdbLength = cdbLength;
        Flags = flags;
        Parse = parse;
        Execute = execute;
    }

    public ScsiOpcode Opcode { get; }

    /// <summary>The CDB length the opcode's group implies (SPC-4 4.2.5.1).</summary>
    public int CdbLength { get; }

    public CommandFlags Flags { get; }
    public CdbParser Parse { get; }
    public CommandExecutor Execute { get; }

    /// <summary>Runs the command on the caller's thread when that cannot block (see
    /// <see cref="ScsiDispatcher.TryExecuteInline"/>); null for commands that always go to <see cref="Execute"/>.</summary>
    public InlineExecutor? TryInline { get; }

    public override string ToString() => Opcode.ToString();
}
