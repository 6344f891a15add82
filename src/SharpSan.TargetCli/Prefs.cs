using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpSan.TargetCli;

/// <summary>One preference of the "global" group: its UI type ("bool", "number", "string") and help.</summary>
public sealed record PrefDefinition(string Name, string Type, string Default, string Description);

/// <summary>
/// targetcli's global preferences and bookmarks, kept as a small JSON file
/// (~/.sharpsan/targetcli-prefs.json, directory overridable with SHARPSAN_TARGETCLI_HOME).
/// Values are stored as the strings the UI shows ("true", "30"); a file that cannot be read is ignored.
/// </summary>
public sealed class Prefs
{
    public const string HomeEnvironmentVariable = "SHARPSAN_TARGETCLI_HOME";
    public const string FileName = "targetcli-prefs.json";
    public const string HistoryFileName = "targetcli-history";

    public static readonly IReadOnlyList<PrefDefinition> Definitions =
    [
        new("auto_add_default_portal", "bool", "true", "If true, adds a portal listening on all IPs to new targets."),
        new("auto_add_mapped_luns", "bool", "true", "If true, automatically create node ACLs mapped LUNs after creating a new target LUN or a new node ACL"),
        new("auto_cd_after_create", "bool", "false", "If true, changes current path to newly created objects."),
        new("auto_enable_tpgt", "bool", "true", "If true, automatically enables TPGTs upon creation."),
        new("auto_save_on_exit", "bool", "true", "If true, saves configuration on exit."),
        new("color_mode", "bool", "true", "Console color mode (colors only on a terminal)."),
        new("logfile", "string", "", "Logfile to use (commands and their errors), empty for none."),
        new("prompt_length", "number", "30", "Max length of the shell prompt path, 0 for infinite."),
        new("tree_max_depth", "number", "0", "Maximum depth of displayed node tree, 0 for infinite."),
        new("tree_round_nodes", "bool", "true", "Tree node display style."),
        new("tree_show_root", "bool", "true", "Whether or not to display tree root."),
        new("tree_status_mode", "bool", "true", "Whether or not to display status in tree."),
    ];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Prefs(string? directory)
    {
        Directory = directory;
        foreach (var def in Definitions)
            _values[def.Name] = def.Default;
        Load();
    }

    /// <summary>Null: in-memory only (nothing read or written).</summary>
    public string? Directory { get; }
    public string? FilePath => Directory is null ? null : Path.Combine(Directory, FileName);
    public string? HistoryPath => Directory is null ? null : Path.Combine(Directory, HistoryFileName);
    public SortedDictionary<string, string> Bookmarks { get; } = new(StringComparer.Ordinal);

    /// <summary>~/.sharpsan, or $SHARPSAN_TARGETCLI_HOME.</summary>
    public static string DefaultDirectory()
    {
        var env = Environment.GetEnvironmentVariable(HomeEnvironmentVariable);
        if (!string.IsNullOrEmpty(env))
            return env;
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sharpsan");
    }

    public static PrefDefinition? Find(string name) => Definitions.FirstOrDefault(d => d.Name == name);

    public string Get(string name) => _values.TryGetValue(name, out var v) ? v : "";

    public bool GetBool(string name) => string.Equals(Get(name), "true", StringComparison.OrdinalIgnoreCase);

    public int GetInt(string name) => int.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Checks the value against the preference's type (configshell's wording) and stores it.</summary>
    public void Set(string name, string value)
    {
        var def = Find(name) ?? throw new CliException($"Unknown parameter {name} in group 'global'.");
        _values[name] = Normalize(def, value);
        Save();
    }

    internal static string Normalize(PrefDefinition def, string value)
    {
        switch (def.Type)
        {
            case "bool":
                if (value.Equals("true", StringComparison.OrdinalIgnoreCase)) return "true";
                if (value.Equals("false", StringComparison.OrdinalIgnoreCase)) return "false";
                throw new CliException($"Not setting {def.Name}! Syntax error, '{value}' is not true|false.");
            case "number":
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                    throw new CliException($"Not setting {def.Name}! Syntax error, '{value}' is not a NUMBER.");
                return n.ToString(CultureInfo.InvariantCulture);
            default:
                return value;
        }
    }

    private void Load()
    {
        if (FilePath is null || !File.Exists(FilePath))
            return;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(FilePath)) is not JsonObject root)
                return;
            foreach (var (key, node) in root)
            {
                if (key == "bookmarks" && node is JsonObject marks)
                {
                    foreach (var (name, path) in marks)
                        if (path is JsonValue pv && pv.TryGetValue<string>(out var p))
                            Bookmarks[name] = p;
                }
                else if (Find(key) is { } def && node is JsonValue value && value.TryGetValue<string>(out var s))
                {
                    try { _values[key] = Normalize(def, s); }
                    catch (CliException) { /* a hand-edited bad value keeps the default */ }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // Unreadable preferences: defaults apply, as targetcli does with a broken prefs.bin.
        }
    }

    public void Save()
    {
        if (FilePath is null)
            return;
        var root = new JsonObject();
        foreach (var (key, value) in _values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            root[key] = value;
        var marks = new JsonObject();
        foreach (var (name, path) in Bookmarks)
            marks[name] = path;
        root["bookmarks"] = marks;
        try
        {
            System.IO.Directory.CreateDirectory(Directory!);
            var temp = FilePath + ".tmp";
            File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            File.Move(temp, FilePath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Could not save preferences to {FilePath}: {ex.Message}");
        }
    }
}
