using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpSan.Config;

/// <summary>
/// Typed access to one parsed JSON tree. Every accessor takes the JSONPath of the value so a wrong type
/// or range is reported exactly where it is, in the same words whatever the field.
/// </summary>
internal sealed class JsonFieldReader(string sourceName)
{
    public string SourceName { get; } = sourceName;

    public ConfigException Error(string path, string reason) => new(SourceName, path, reason);

    public JsonObject Object(JsonNode? node, string path)
        => node as JsonObject ?? throw Error(path, $"expected an object, found {Describe(node)}");

    public JsonArray Array(JsonNode? node, string path)
        => node as JsonArray ?? throw Error(path, $"expected an array, found {Describe(node)}");

    /// <summary>An optional array member; absent or null means empty (rtslib uses .get(key, [])).</summary>
    public JsonArray OptionalArray(JsonObject obj, string key, string parentPath)
    {
        var node = obj[key];
        return node is null ? [] : Array(node, JsonPathBuilder.Prop(parentPath, key));
    }

    public JsonObject OptionalObject(JsonObject obj, string key, string parentPath)
    {
        var node = obj[key];
        return node is null ? [] : Object(node, JsonPathBuilder.Prop(parentPath, key));
    }

    public string RequiredString(JsonObject obj, string key, string parentPath)
    {
        if (!obj.ContainsKey(key))
            throw Error(JsonPathBuilder.Prop(parentPath, key), "required");
        return String(obj, key, parentPath, "");
    }

    public string String(JsonObject obj, string key, string parentPath, string defaultValue)
    {
        var node = obj[key];
        if (node is null)
            return defaultValue;
        if (node.GetValueKind() != JsonValueKind.String)
            throw Error(JsonPathBuilder.Prop(parentPath, key), $"expected a string, found {Describe(node)}");
        return node.GetValue<string>();
    }

    /// <summary>
    /// Booleans: rtslib dumps Python bools (true/false), but older versions and hand-edited files use
    /// 0/1, and rtslib itself applies them with int(value) — so both are accepted.
    /// </summary>
    public bool Bool(JsonObject obj, string key, string parentPath, bool defaultValue)
    {
        var node = obj[key];
        return node is null ? defaultValue : Bool(node, JsonPathBuilder.Prop(parentPath, key));
    }

    public bool Bool(JsonNode node, string path)
    {
        switch (node.GetValueKind())
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number when node.AsValue().TryGetValue<long>(out var n) && n is 0 or 1:
                return n == 1;
            default:
                throw Error(path, $"expected true/false or 0/1, found {Describe(node)}");
        }
    }

    public ulong UInt(JsonObject obj, string key, string parentPath, ulong max, ulong defaultValue, bool required = false)
    {
        var node = obj[key];
        var path = JsonPathBuilder.Prop(parentPath, key);
        if (node is null)
            return required ? throw Error(path, "required") : defaultValue;
        return UInt(node, path, max);
    }

    public ulong UInt(JsonNode node, string path, ulong max)
    {
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<ulong>(out var value))
            throw Error(path, $"expected a non-negative integer, found {Describe(node)}");
        if (value > max)
            throw Error(path, $"{value} is out of range (0..{max})");
        return value;
    }

    /// <summary>A short rendering of what was found, for "expected X, found Y".</summary>
    public static string Describe(JsonNode? node)
    {
        if (node is null)
            return "null";
        var kind = node.GetValueKind();
        var text = kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "string " + node.ToJsonString(),
            _ => node.ToJsonString(),
        };
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    public static string Invariant(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
