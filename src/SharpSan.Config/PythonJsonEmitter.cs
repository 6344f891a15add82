using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpSan.Config;

/// <summary>
/// Writes a JSON tree byte-for-byte the way Python's json.dump(obj, f, sort_keys=True, indent=2) does,
/// which is how rtslib writes saveconfig.json: keys sorted by code point at every level, two-space
/// indent, ", "-free separators (",\n" and ": "), "[]"/"{}" for empty containers, and ensure_ascii
/// (everything outside space..tilde, DEL included, as a lowercase \uXXXX escape). Matching it keeps diffs against
/// targetcli-written files and their backups empty. Utf8JsonWriter is not used because it escapes
/// '+', '<', '&' and others, and writes uppercase hex.
/// </summary>
internal static class PythonJsonEmitter
{
    public static string Emit(JsonNode? node)
    {
        var sb = new StringBuilder(4096);
        Write(sb, node, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                WriteObject(sb, obj, depth);
                break;
            case JsonArray array:
                WriteArray(sb, array, depth);
                break;
            default:
                WriteValue(sb, node.AsValue());
                break;
        }
    }

    private static void WriteObject(StringBuilder sb, JsonObject obj, int depth)
    {
        if (obj.Count == 0)
        {
            sb.Append("{}");
            return;
        }
        // Python sorts str keys by code point; ordinal UTF-16 order is the same outside the astral
        // planes, which attribute and parameter names never reach.
        var keys = obj.Select(p => p.Key).ToList();
        keys.Sort(StringComparer.Ordinal);
        sb.Append('{');
        for (var i = 0; i < keys.Count; i++)
        {
            sb.Append(i == 0 ? "\n" : ",\n");
            Indent(sb, depth + 1);
            WriteString(sb, keys[i]);
            sb.Append(": ");
            Write(sb, obj[keys[i]], depth + 1);
        }
        sb.Append('\n');
        Indent(sb, depth);
        sb.Append('}');
    }

    private static void WriteArray(StringBuilder sb, JsonArray array, int depth)
    {
        if (array.Count == 0)
        {
            sb.Append("[]");
            return;
        }
        sb.Append('[');
        for (var i = 0; i < array.Count; i++)
        {
            sb.Append(i == 0 ? "\n" : ",\n");
            Indent(sb, depth + 1);
            Write(sb, array[i], depth + 1);
        }
        sb.Append('\n');
        Indent(sb, depth);
        sb.Append(']');
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            case JsonValueKind.Number:
                // Integers (all LIO writes) keep their text; System.Text.Json renders them without
                // exponent or grouping, as Python does.
                sb.Append(value.ToJsonString());
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    private static void Indent(StringBuilder sb, int depth) => sb.Append(' ', depth * 2);
}
