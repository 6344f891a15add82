using System.Globalization;
using System.Text;
using SharpSan.Scsi;

namespace SharpSan.Daemon;

/// <summary>
/// The text of an APTPL file: a logical unit's persistent reservation registrations and reservation
/// (SPC-4 5.13.5), one block per registration in the key=value layout of LIO's
/// /etc/target/pr/aptpl_&lt;wwn&gt; (PR_REG_START/PR_REG_END, initiator_node, initiator_sid, sa_res_key,
/// res_holder, res_type, res_all_tg_pt, port_rtpi) with our target port name as target_port.
/// </summary>
internal static class AptplFile
{
    private const string Start = "PR_REG_START: ";
    private const string End = "PR_REG_END: ";

    public static string Format(PersistentReservationState state)
    {
        var text = new StringBuilder();
        text.Append("# persistent reservations kept with APTPL=1 (SPC-4 5.13.5); written by sharpsand\n");
        int index = 0;
        foreach (Registration r in state.Registrations)
        {
            bool holder = state.IsHolder(r);
            text.Append(Start).Append(index).Append('\n');
            text.Append("initiator_fabric=iSCSI\n");
            text.Append("initiator_node=").Append(r.InitiatorName).Append('\n');
            if (r.Isid is not null)
                text.Append("initiator_sid=").Append(r.Isid).Append('\n');
            text.Append("sa_res_key=").Append(r.Key.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("res_holder=").Append(holder ? '1' : '0').Append('\n');
            if (holder)
            {
                text.Append("res_type=").Append(((byte)state.Type).ToString("x2", CultureInfo.InvariantCulture)).Append('\n');
                text.Append("res_scope=00\n");
            }
            text.Append("res_all_tg_pt=").Append(r.AllTargetPorts ? '1' : '0').Append('\n');
            text.Append("target_port=").Append(r.TargetPortName).Append('\n');
            text.Append("port_rtpi=").Append(r.RelativeTargetPortId.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append(End).Append(index).Append('\n');
            index++;
        }
        return text.ToString();
    }

    /// <summary>Reads what <see cref="Format"/> wrote (PRgeneration zero, APTPL set).</summary>
    /// <exception cref="FormatException">A malformed file, with the line in error.</exception>
    public static PersistentReservationState Parse(string text)
    {
        var registrations = new List<Registration>();
        Registration? holder = null;
        var type = PersistentReservationType.None;
        Dictionary<string, string>? block = null;
        int lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith(Start, StringComparison.Ordinal))
            {
                if (block is not null) throw new FormatException($"line {lineNumber}: {Start.TrimEnd()} inside a registration");
                block = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }
            if (block is null) throw new FormatException($"line {lineNumber}: '{line}' outside a registration");
            if (line.StartsWith(End, StringComparison.Ordinal))
            {
                var registration = Registration(block, lineNumber);
                registrations.Add(registration);
                if (block.GetValueOrDefault("res_holder") == "1")
                {
                    var t = (PersistentReservationType)byte.Parse(Required(block, "res_type", lineNumber), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (t == PersistentReservationType.None || (type != PersistentReservationType.None && type != t))
                        throw new FormatException($"line {lineNumber}: res_type {t} does not match the reservation");
                    type = t;
                    holder ??= registration;
                }
                block = null;
                continue;
            }
            int eq = line.IndexOf('=');
            if (eq <= 0) throw new FormatException($"line {lineNumber}: expected key=value, got '{line}'");
            block[line[..eq]] = line[(eq + 1)..];
        }
        if (block is not null) throw new FormatException($"line {lineNumber}: the last registration has no {End.TrimEnd()}");
        return new PersistentReservationState(0, [.. registrations], holder, type, aptpl: true);
    }

    private static Registration Registration(Dictionary<string, string> block, int line)
    {
        try
        {
            return new Registration(
                Required(block, "initiator_node", line),
                block.TryGetValue("initiator_sid", out var isid) ? isid.ToLowerInvariant() : null,
                block.GetValueOrDefault("target_port", ""),
                ushort.Parse(Required(block, "port_rtpi", line), CultureInfo.InvariantCulture),
                block.GetValueOrDefault("res_all_tg_pt") == "1",
                ulong.Parse(Required(block, "sa_res_key", line), CultureInfo.InvariantCulture));
        }
        catch (OverflowException)
        {
            throw new FormatException($"line {line}: a number is out of range");
        }
    }

    private static string Required(Dictionary<string, string> block, string key, int line) =>
        block.TryGetValue(key, out var value) && value.Length > 0 ? value : throw new FormatException($"line {line}: the registration has no {key}");
}
