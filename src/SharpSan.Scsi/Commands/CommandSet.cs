using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace SharpSan.Scsi;

/// <summary>
/// One device type's command set: operation code (and, for opcodes that carry one, service action) ->
/// <see cref="CommandDescriptor"/>. Each device type (SBC-3 disk, MMC-6 CD/DVD, SCC-2 controller) has
/// its own, chosen by the logical unit from the peripheral device type its backstore declares. Opcodes
/// not listed are answered with ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE (SPC-4 4.5.6); an
/// unsupported service action of a listed opcode with INVALID FIELD IN CDB (SPC-4 4.2.5.1). The service
/// action is CDB byte 1 bits 4..0, except for the variable length CDB (7Fh, SPC-4 4.2.3): bytes 8-9.
/// </summary>
internal sealed class CommandSet
{
    private readonly FrozenDictionary<int, CommandDescriptor> _commands;

    // Opcodes whose rows are keyed by service action (bit per opcode).
    private readonly bool[] _byServiceAction = new bool[256];

    public CommandSet(IEnumerable<CommandDescriptor> rows)
    {
        var map = new Dictionary<int, CommandDescriptor>();
        var all = new List<CommandDescriptor>();
        foreach (CommandDescriptor row in rows)
        {
            if (row.ServiceAction != CommandDescriptor.NoServiceAction)
            {
                _byServiceAction[(byte)row.Opcode] = true;
            }

            all.Add(row);
        }

        foreach (CommandDescriptor row in all)
        {
            bool keyed = _byServiceAction[(byte)row.Opcode];
            if (keyed && row.ServiceAction == CommandDescriptor.NoServiceAction)
            {
                throw new ArgumentException($"{row.Opcode} mixes rows with and without a service action.", nameof(rows));
            }

            map.Add(Key((byte)row.Opcode, keyed ? row.ServiceAction : 0), row);
        }

        _commands = map.ToFrozenDictionary();
        All = all.OrderBy(r => (byte)r.Opcode).ThenBy(r => r.ServiceAction).ToArray();
    }

    /// <summary>Every row, by opcode then service action (REPORT SUPPORTED OPERATION CODES lists these).</summary>
    public IReadOnlyList<CommandDescriptor> All { get; }

    /// <summary>True when <paramref name="opcode"/>'s rows are told apart by service action.</summary>
    public bool HasServiceActions(byte opcode) => _byServiceAction[opcode];

    /// <summary>The row for a command without service action, or the row for <paramref name="serviceAction"/>.</summary>
    public bool TryGet(byte opcode, int serviceAction, [NotNullWhen(true)] out CommandDescriptor? command) =>
        _commands.TryGetValue(Key(opcode, _byServiceAction[opcode] ? serviceAction : 0), out command);

    /// <summary>Looks a CDB up. <paramref name="unsupportedServiceAction"/> is true when the opcode is
    /// known but its service action (CDB byte 1 bits 4..0) is not.</summary>
    public bool TryGet(ReadOnlySpan<byte> cdb, [NotNullWhen(true)] out CommandDescriptor? command, out bool unsupportedServiceAction)
    {
        byte opcode = cdb[0];
        unsupportedServiceAction = false;
        if (!_byServiceAction[opcode])
        {
            return _commands.TryGetValue(Key(opcode, 0), out command);
        }

        int serviceAction = ServiceActionOf(cdb);
        command = null;
        if (serviceAction >= 0 && _commands.TryGetValue(Key(opcode, serviceAction), out command))
        {
            return true;
        }

        unsupportedServiceAction = true;
        return false;
    }

    public bool Contains(byte opcode) => _byServiceAction[opcode] || _commands.ContainsKey(Key(opcode, 0));

    /// <summary>The largest service action <paramref name="opcode"/> can carry: 16 bits for the variable length
    /// CDB (SPC-4 4.2.3), 5 bits for the others (SPC-4 4.2.5.1).</summary>
    public static int MaxServiceAction(byte opcode) => opcode == (byte)ScsiOpcode.VariableLength ? 0xFFFF : 0x1F;

    /// <summary>The SERVICE ACTION field of <paramref name="cdb"/>: bytes 8-9 of a variable length CDB, byte 1
    /// bits 4..0 otherwise; -1 when the CDB is too short to hold it.</summary>
    public static int ServiceActionOf(ReadOnlySpan<byte> cdb)
    {
        if (cdb[0] == (byte)ScsiOpcode.VariableLength)
        {
            return cdb.Length >= 10 ? (cdb[8] << 8) | cdb[9] : -1;
        }

        return cdb.Length > 1 ? cdb[1] & 0x1F : -1;
    }

    /// <summary>Where the sense field pointer points for an unsupported service action of <paramref name="opcode"/>:
    /// the field's most significant byte and bit.</summary>
    public static (int Byte, int Bit) ServiceActionField(byte opcode) =>
        opcode == (byte)ScsiOpcode.VariableLength ? (8, 7) : (1, 4);

    private static int Key(byte opcode, int serviceAction) => (opcode << 16) | (serviceAction & 0xFFFF);
}
