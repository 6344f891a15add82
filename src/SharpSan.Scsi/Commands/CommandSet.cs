using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace SharpSan.Scsi;

/// <summary>
/// One device type's command set: operation code -> <see cref="CommandDescriptor"/>. Each device type
/// (SBC-3 disk, MMC-6 CD/DVD, SCC-2 controller) has its own, chosen by the logical unit from the
/// peripheral device type its backstore declares. Opcodes not listed are answered with
/// ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE (SPC-4 4.5.6).
/// </summary>
internal sealed class CommandSet
{
    private readonly FrozenDictionary<byte, CommandDescriptor> _commands;

    public CommandSet(IEnumerable<CommandDescriptor> rows)
    {
        var map = new Dictionary<byte, CommandDescriptor>();
        foreach (CommandDescriptor row in rows)
        {
            map.Add((byte)row.Opcode, row);
        }

        _commands = map.ToFrozenDictionary();
    }

    public bool TryGet(byte opcode, [NotNullWhen(true)] out CommandDescriptor? command) =>
        _commands.TryGetValue(opcode, out command);

    public bool Contains(byte opcode) => _commands.ContainsKey(opcode);
}
