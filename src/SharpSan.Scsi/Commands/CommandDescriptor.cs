namespace SharpSan.Scsi;

/// <summary>One command table row: the opcode (and service action, for the opcodes that carry one),
/// its CDB length and rules, and how to parse and run it.</summary>
internal sealed class CommandDescriptor
{
    /// <summary><see cref="ServiceAction"/> of a command whose opcode has no service actions.</summary>
    public const int NoServiceAction = -1;

    public CommandDescriptor(ScsiOpcode opcode, int cdbLength, CommandFlags flags, CdbParser parse, CommandExecutor execute,
        InlineExecutor? tryInline = null, int serviceAction = NoServiceAction)
    {
        TryInline = tryInline;
        Opcode = opcode;
        CdbLength = cdbLength;
        Flags = flags;
        Parse = parse;
        Execute = execute;
        ServiceAction = serviceAction;
    }

    /// <summary>A row for one service action of <paramref name="opcode"/> (SPC-4 4.2.5.1: MAINTENANCE
    /// IN/OUT, SERVICE ACTION IN(16), PERSISTENT RESERVE IN/OUT, EXTENDED COPY, RECEIVE COPY RESULTS).</summary>
    public static CommandDescriptor ForServiceAction(ScsiOpcode opcode, byte serviceAction, int cdbLength, CommandFlags flags,
        CdbParser parse, CommandExecutor execute) =>
        new(opcode, cdbLength, flags, parse, execute, null, serviceAction);

    /// <summary>A row for one service action of the variable length CDB (opcode 7Fh, SPC-4 4.2.3), whose
    /// 16-bit SERVICE ACTION is in bytes 8-9: <paramref name="cdbLength"/> is 8 + its ADDITIONAL CDB LENGTH.</summary>
    public static CommandDescriptor ForVariableLength(ushort serviceAction, int cdbLength, CommandFlags flags, CdbParser parse, CommandExecutor execute) =>
        new(ScsiOpcode.VariableLength, cdbLength, flags, parse, execute, null, serviceAction);

    /// <summary>True for a variable length CDB (opcode 7Fh, SPC-4 4.2.3).</summary>
    public bool IsVariableLength => Opcode == ScsiOpcode.VariableLength;

    /// <summary>Where the CONTROL byte is (SAM-5 5.2): the last byte of a fixed-length CDB, byte 1 of a
    /// variable length one (SPC-4 table 7).</summary>
    public int ControlByte => IsVariableLength ? 1 : CdbLength - 1;

    public ScsiOpcode Opcode { get; }

    /// <summary>The service action (CDB byte 1 bits 4..0; bytes 8-9 of a variable length CDB) this row
    /// answers, or <see cref="NoServiceAction"/>.</summary>
    public int ServiceAction { get; }

    /// <summary>The CDB length the opcode's group implies (SPC-4 4.2.5.1); for a variable length CDB, 8 plus
    /// the ADDITIONAL CDB LENGTH the command defines.</summary>
    public int CdbLength { get; }

    public CommandFlags Flags { get; }
    public CdbParser Parse { get; }
    public CommandExecutor Execute { get; }

    /// <summary>Runs the command on the caller's thread when that cannot block (see
    /// <see cref="ScsiDispatcher.TryExecuteInline"/>); null for commands that always go to <see cref="Execute"/>.</summary>
    public InlineExecutor? TryInline { get; }

    /// <summary>The row's CDB USAGE DATA (<see cref="Reporting.CdbUsageData"/>), looked up on first use.</summary>
    internal byte[]? UsageData { get; set; }

    /// <summary>For a command only some units of the device type serve (UNMAP needs LBPU, SBC-3 4.7.3.3):
    /// whether <paramref name="unit"/> serves it. A unit that does not answers it as an unsupported
    /// opcode (or service action) and REPORT SUPPORTED OPERATION CODES leaves it out, so the two agree.</summary>
    public Func<LogicalUnit, bool>? AvailableWhen { get; init; }

    public bool IsAvailableOn(LogicalUnit unit) => AvailableWhen is null || AvailableWhen(unit);

    public override string ToString() => ServiceAction == NoServiceAction ? Opcode.ToString()
        : IsVariableLength ? $"{Opcode}/{ServiceAction:X4}h" : $"{Opcode}/{ServiceAction:X2}h";
}
