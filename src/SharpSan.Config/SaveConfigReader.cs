using System.Text.Json;
using System.Text.Json.Nodes;
using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

/// <summary>
/// Reads LIO's saveconfig.json (as written by `targetcli saveconfig` / rtslib-fb) into the object tree,
/// then validates it. Any problem throws <see cref="ConfigException"/> naming the JSON path; the whole
/// file is refused (rtslib skips bad entries and carries on; a target daemon serving half a config is
/// worse than one that refuses to start with a precise message).
/// </summary>
public static partial class SaveConfigReader
{
    // Python's json module rejects comments and trailing commas; duplicate keys it silently collapses
    // (last wins), which hides editing mistakes, so they are refused here.
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 64,
    };

    /// <summary>Reads and validates a file. A missing file is the caller's decision: it surfaces as the IO exception.</summary>
    /// <summary>Loads a saveconfig.json, or one of its gzipped backups (targetcli's
    /// backup/saveconfig-*-json.gz), recognised by the gzip magic bytes.</summary>
    public static SanConfig Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
            bytes = ConfigBackups.ReadBackup(path);
        return Parse(System.Text.Encoding.UTF8.GetString(bytes), path);
    }

    public static SanConfig Parse(string json, string sourceName = "saveconfig.json")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, nodeOptions: null, DocumentOptions);
        }
        catch (JsonException ex)
        {
            // LineNumber/BytePositionInLine are zero-based; editors count from one.
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            var detail = FirstSentence(ex.Message);
            throw new ConfigException(sourceName, ex.Path ?? Root, $"invalid JSON at line {line}, column {column}: {detail}", ex);
        }

        var reader = new JsonFieldReader(sourceName);
        var config = ReadRoot(reader, reader.Object(root, Root));
        ConfigValidator.Validate(config, sourceName);
        return config;
    }

    private static SanConfig ReadRoot(JsonFieldReader r, JsonObject obj)
    {
        var config = new SanConfig();
        var storageObjects = r.OptionalArray(obj, "storage_objects", Root);
        for (var i = 0; i < storageObjects.Count; i++)
            config.StorageObjects.Add(ReadStorageObject(r, storageObjects[i], Item(Root, "storage_objects", i)));

        var fabricModules = r.OptionalArray(obj, "fabric_modules", Root);
        for (var i = 0; i < fabricModules.Count; i++)
            ReadFabricModule(r, fabricModules[i], Item(Root, "fabric_modules", i), config, seenIscsi: i > 0);

        var targets = r.OptionalArray(obj, "targets", Root);
        for (var i = 0; i < targets.Count; i++)
            config.Targets.Add(ReadTarget(r, targets[i], Item(Root, "targets", i)));

        config.Tgt = ReadTgtSystem(r, obj, Root);
        KeepExtras(obj, config.ExtraFields, "storage_objects", "fabric_modules", "targets", TgtKey);
        return config;
    }

    private static StorageObjectConfig ReadStorageObject(JsonFieldReader r, JsonNode? node, string path)
    {
        var obj = r.Object(node, path);
        var so = new StorageObjectConfig { Name = r.RequiredString(obj, "name", path) };
        var plugin = r.RequiredString(obj, "plugin", path);
        so.Plugin = LioFormat.CanonicalPlugin(plugin)
            ?? throw r.Error(Prop(path, "plugin"), $"storage plugin \"{plugin}\" not supported (fileio, block, ramdisk, pscsi)");

        // Read only the keys rtslib writes for this plugin; anything else is kept verbatim in ExtraFields.
        var known = new List<string> { "name", "plugin", "attributes", DeviceKey, "alua_tpgs" };
        ReadAluaGroups(r, obj, path, so);
        so.Device = ReadDevice(r, obj, path);
        if (LioFormat.HasDev(so.Plugin)) { so.Dev = r.String(obj, "dev", path, ""); known.Add("dev"); }
        if (LioFormat.HasSize(so.Plugin)) { so.Size = r.UInt(obj, "size", path, long.MaxValue, 0); known.Add("size"); }
        if (LioFormat.HasWriteBack(so.Plugin)) { so.WriteBack = r.Bool(obj, "write_back", path, false); known.Add("write_back"); }
        if (LioFormat.HasReadonly(so.Plugin)) { so.Readonly = r.Bool(obj, "readonly", path, false); known.Add("readonly"); }
        // rtslib dumps "nullio" for a ramdisk only when it is set.
        if (so.Plugin == LioFormat.Ramdisk) { so.NullIo = r.Bool(obj, "nullio", path, false); known.Add("nullio"); }
        if (LioFormat.HasWwn(so.Plugin))
        {
            so.Wwn = r.String(obj, "wwn", path, "");
            known.Add("wwn");
            // rtslib generates a uuid4 unit serial when none is given; doing the same keeps the
            // VPD page 0x80 serial stable from the first save on.
            if (so.Wwn.Length == 0)
                so.Wwn = Guid.NewGuid().ToString("D");
        }

        var attrsPath = Prop(path, "attributes");
        foreach (var (key, value) in r.OptionalObject(obj, "attributes", path))
        {
            if (key == "block_size" && LioFormat.HasBlockSize(so.Plugin))
                so.BlockSize = (int)r.UInt(value ?? throw r.Error(Prop(attrsPath, key), "expected an integer, found null"), Prop(attrsPath, key), int.MaxValue);
            else
                so.ExtraAttributes[key] = value?.DeepClone();
        }

        KeepExtras(obj, so.ExtraFields, [.. known]);
        return so;
    }

    private static void ReadFabricModule(JsonFieldReader r, JsonNode? node, string path, SanConfig config, bool seenIscsi)
    {
        var obj = r.Object(node, path);
        var name = r.RequiredString(obj, "name", path);
        // rtslib only dumps fabric modules that have discovery auth enabled, and only iSCSI has it.
        // Entries for other fabrics carry nothing this daemon can use; they are refused rather than
        // silently dropped so the operator knows that part of the file has no effect.
        if (name != LioFormat.IscsiFabric)
            throw r.Error(Prop(path, "name"), $"fabric \"{name}\" not supported (only iscsi)");

        if (seenIscsi)
            throw r.Error(Prop(path, "name"), "duplicate fabric module \"iscsi\"");
        var auth = config.DiscoveryAuth;
        auth.SourceIndex = int.Parse(path[(path.LastIndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
        auth.Enable = r.Bool(obj, "discovery_enable_auth", path, false);
        auth.UserId = r.String(obj, "discovery_userid", path, "");
        auth.Password = r.String(obj, "discovery_password", path, "");
        auth.MutualUserId = r.String(obj, "discovery_mutual_userid", path, "");
        auth.MutualPassword = r.String(obj, "discovery_mutual_password", path, "");
        // Other members (CFSNode attributes of the fabric module, if a kernel ever exposes some) have no
        // meaning here and are ignored.
    }

    /// <summary>Copies every member not in <paramref name="known"/> into <paramref name="extras"/>.</summary>
    private static void KeepExtras(JsonObject obj, Dictionary<string, JsonNode?> extras, params string[] known)
    {
        foreach (var (key, value) in obj)
        {
            if (System.Array.IndexOf(known, key) < 0)
                extras[key] = value?.DeepClone();
        }
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 1." which is reported separately.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return text.ReplaceLineEndings(" ").Trim();
    }
}
