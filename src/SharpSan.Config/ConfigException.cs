namespace SharpSan.Config;

/// <summary>
/// A configuration file or tree that cannot be used. The message is one line a person can act on:
/// "saveconfig.json: $.targets[0].tpgs[0].luns[1].storage_object: no storage object ...".
/// The whole file is refused; there is never a partially applied configuration.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string sourceName, string jsonPath, string reason, Exception? inner = null)
        : base(Format(sourceName, jsonPath, reason), inner)
    {
        SourceName = sourceName;
        JsonPath = jsonPath;
        Reason = reason;
    }

    /// <summary>File name (or "config" for an in-memory tree).</summary>
    public string SourceName { get; }

    /// <summary>Where the problem is: "$.storage_objects[2].name"; for malformed JSON "line 3, column 7".</summary>
    public string JsonPath { get; }

    /// <summary>The reason alone, without source and path.</summary>
    public string Reason { get; }

    /// <summary>The same error attributed to a different source (the validator does not know file names).</summary>
    internal ConfigException WithSource(string sourceName) => new(sourceName, JsonPath, Reason, this);

    private static string Format(string sourceName, string jsonPath, string reason)
    {
        // Keep it on one line whatever the reason text holds: CLIs print it as is.
        var oneLine = reason.ReplaceLineEndings(" ");
        return string.IsNullOrEmpty(jsonPath) ? $"{sourceName}: {oneLine}" : $"{sourceName}: {jsonPath}: {oneLine}";
    }
}
