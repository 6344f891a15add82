using System.Globalization;
using System.Text;

namespace SharpSan.NodeRecords;

/// <summary>
/// A flat key/value record (node or discovery) over a <see cref="RecordSchema"/>; values are held as
/// the text open-iscsi prints ("Yes", "262144", "CHAP").
/// </summary>
public abstract class Record
{
    /// <summary>The record format version written after "# BEGIN RECORD ".</summary>
    public const string Version = OpenIscsi.Version;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    protected Record(RecordSchema schema)
    {
        Schema = schema;
        foreach (var key in schema.Keys)
            _values[key.Name] = key.Default;
    }

    public RecordSchema Schema { get; }

    /// <summary>The value of a schema key ("" for empty); throws for a key outside the schema.</summary>
    public string this[string key]
    {
        get => _values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
        set
        {
            if (Schema.Find(key) is null)
                throw new KeyNotFoundException(key);
            _values[key] = value;
        }
    }

    protected int GetInt(string key) => ParseInt(this[key]);

    protected void SetInt(string key, int value) => this[key] = value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// idbm_rec_update_param: sets <paramref name="name"/> from user text. Integers parse like
    /// strtoul, choices must match exactly, chap_algs ignores unknown words (with a warning).
    /// Returns the error line (without the "iscsiadm: " prefix) or null; warnings are appended.
    /// </summary>
    public string? Update(string name, string value, List<string> warnings)
    {
        var key = Schema.Find(name);
        if (key is null)
            return $"Unknown parameter {name}.";
        switch (key.Kind)
        {
            case RecordKeyKind.Text:
                _values[name] = value;
                break;
            case RecordKeyKind.Integer:
                _values[name] = ParseInt(value).ToString(CultureInfo.InvariantCulture);
                break;
            case RecordKeyKind.Choice:
                if (!key.Choices!.Contains(value, StringComparer.Ordinal))
                    return $"unknown value format '{value}' for parameter name '{name}'";
                _values[name] = value;
                break;
            case RecordKeyKind.ChoiceList:
                var chosen = new List<string>();
                foreach (var token in value.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!key.Choices!.Contains(token, StringComparer.Ordinal))
                        warnings.Add($"Ignoring unknown value '{token}' for '{name}'");
                    else if (chosen.Contains(token))
                        warnings.Add($"Ignoring repeated value '{token}' for '{name}'");
                    else
                        chosen.Add(token);
                }
                _values[name] = string.Join(',', chosen);
                break;
        }
        // check_password_param: a password carries its length in a hidden key.
        var lengthKey = name + "_length";
        if (key.Visibility == RecordKeyVisibility.Masked && Schema.Find(lengthKey) is not null)
            _values[lengthKey] = Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>idbm_print / _idbm_recs_print: "# BEGIN RECORD 2.1.8", "key = value" lines, "# END RECORD".</summary>
    public string Format(RecordFormatMode mode)
    {
        var sb = new StringBuilder();
        sb.Append("# BEGIN RECORD ").Append(Version).Append('\n');
        foreach (var key in Schema.Keys)
        {
            if (key.Visibility == RecordKeyVisibility.Hide)
                continue;
            var value = _values[key.Name];
            if (mode == RecordFormatMode.ShowMasked && key.Visibility == RecordKeyVisibility.Masked && value.Length > 0)
            {
                sb.Append(key.Name).Append(" = ********\n");
                continue;
            }
            if (value.Length > 0)
                sb.Append(key.Name).Append(" = ").Append(value).Append('\n');
            else if (mode != RecordFormatMode.File)
                sb.Append(key.Name).Append(" = <empty>\n");
        }
        sb.Append("# END RECORD\n");
        return sb.ToString();
    }

    /// <summary>
    /// Reads "key = value" lines (idbm_recinfo_config): '#' comments and blank lines skipped, unknown
    /// keys ignored, so files written by open-iscsi (any key order, any version) load.
    /// Returns warnings for values that do not parse.
    /// </summary>
    public List<string> Load(string text)
    {
        var warnings = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var eq = line.IndexOf('=');
            if (eq <= 0)
                continue;
            var name = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (Schema.Find(name) is null)
                continue;
            if (Update(name, value, warnings) is not null)
                warnings.Add($"config file line {lineNumber} contains unknown value format '{value}' for parameter name '{name}'");
        }
        return warnings;
    }

    /// <summary>strtoul(value, NULL, 10) stored in an int: leading blanks, optional sign, digits.</summary>
    public static int ParseInt(string value)
    {
        var s = value.AsSpan().TrimStart();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        long n = 0;
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            n = n * 10 + (s[i] - '0');
            if (n > uint.MaxValue)
                n = uint.MaxValue;
            i++;
        }
        if (negative)
            n = -n;
        return unchecked((int)(uint)(n & 0xFFFFFFFF));
    }
}
