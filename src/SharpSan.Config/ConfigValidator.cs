using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

/// <summary>
/// Semantic checks on a whole tree: what LIO would refuse on restore, plus what the LIO file format
/// cannot express (so every tree that passes serializes and reads back unchanged). Errors name the
/// JSON path the value has in saveconfig.json. The first error is thrown; nothing is modified.
/// </summary>
public static partial class ConfigValidator
{
    private const string DefaultSource = "config";

    public static void Validate(SanConfig config) => Validate(config, DefaultSource);

    internal static void Validate(SanConfig config, string sourceName)
    {
        var v = new Checker(sourceName);
        var storagePaths = ValidateStorageObjects(v, config.StorageObjects);
        ValidateDiscoveryAuth(v, config.DiscoveryAuth);
        ValidateTargets(v, config.Targets, storagePaths);
        ValidateAlua(v, config);
        ValidateTgt(v, config);
    }

    /// <summary>Returns the set of "/backstores/plugin/name" paths LUNs may refer to.</summary>
    private static HashSet<string> ValidateStorageObjects(Checker v, List<StorageObjectConfig> objects)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < objects.Count; i++)
        {
            var so = objects[i];
            var path = Item(Root, "storage_objects", i);
            var plugin = so.Plugin;
            var canonical = LioFormat.CanonicalPlugin(plugin);
            v.Require(canonical is not null, Prop(path, "plugin"), $"storage plugin \"{plugin}\" not supported (fileio, block, ramdisk, pscsi)");
            v.Require(canonical == plugin, Prop(path, "plugin"), $"plugin \"{plugin}\" must be written \"{canonical}\" (the name LIO dumps)");
            // The tree is what the daemon will serve: a plugin LIO knows but we cannot open yet is refused
            // here, with its path, rather than failing a whole apply later.
            v.Require(plugin != LioFormat.Pscsi, Prop(path, "plugin"), "storage plugin \"pscsi\" is not supported by SharpSAN yet (fileio, block, ramdisk)");

            // rtslib: "A storage object's name cannot contain /, newline or spaces/tabs"; it is also a
            // configfs directory name, so control characters are refused as well.
            v.Require(so.Name.Length > 0, Prop(path, "name"), "empty storage object name");
            v.Require(!so.Name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)),
                Prop(path, "name"), $"storage object name \"{so.Name}\" contains '/', whitespace or control characters");
            v.Require(seen.TryAdd(so.Path, path), Prop(path, "name"),
                $"duplicate storage object \"{so.Path}\" (also at {(seen.TryGetValue(so.Path, out var first) ? first : "")})");

            if (LioFormat.HasDev(plugin))
            {
                v.Require(so.Dev.Length > 0, Prop(path, "dev"), $"{plugin} needs a dev (file or device path)");
                v.Require(!so.Dev.Any(char.IsControl), Prop(path, "dev"), "dev contains control characters");
            }
            else
            {
                v.Require(so.Dev.Length == 0, Prop(path, "dev"), $"{plugin} has no dev");
            }

            if (plugin == LioFormat.Ramdisk)
                v.Require(so.Size > 0, Prop(path, "size"), "ramdisk needs a size > 0");
            if (!LioFormat.HasSize(plugin))
                v.Require(so.Size == 0, Prop(path, "size"), $"{plugin} takes its size from the device; size must be 0");

            if (LioFormat.HasBlockSize(plugin))
            {
                // LIO accepts 512..4096 in powers of two for emulated devices; our backstores serve the two
                // sizes initiators use (512 and 4096), so the others are refused here rather than on open.
                v.Require(so.BlockSize is 512 or 4096 || so.Device.IsCd, Prop(Prop(path, "attributes"), "block_size"),
                    $"block_size {so.BlockSize} not supported (512 or 4096)");
                v.Require(so.Size % (ulong)so.BlockSize == 0, Prop(path, "size"),
                    $"size {so.Size} is not a multiple of block_size {so.BlockSize}");
            }

            v.Require(LioFormat.HasWriteBack(plugin) || !so.WriteBack, Prop(path, "write_back"), $"{plugin} has no write_back setting (fileio and block only)");
            v.Require(plugin == LioFormat.Ramdisk || !so.NullIo, Prop(path, "nullio"), $"{plugin} has no nullio setting (ramdisk only)");
            v.Require(LioFormat.HasReadonly(plugin) || !so.Readonly, Prop(path, "readonly"), $"{plugin} has no readonly setting in LIO's format (block only)");
            ValidateUnitSerial(v, so, Prop(path, "wwn"));
            ValidateDevice(v, so, path);
            ValidateAttributes(v, so.ExtraAttributes, Prop(path, "attributes"), LioStorageAttributes.Find);
        }
        return new HashSet<string>(seen.Keys, StringComparer.Ordinal);
    }

    private static void ValidateUnitSerial(Checker v, StorageObjectConfig so, string path)
    {
        if (!LioFormat.HasWwn(so.Plugin))
        {
            v.Require(so.Wwn.Length == 0, path, $"{so.Plugin} reports the device's own serial; wwn must be empty");
            return;
        }
        // LIO writes a uuid4 here, but any VPD unit serial the kernel takes is fine: printable ASCII,
        // at most INQUIRY_VPD_SERIAL_LEN (254) bytes, since it is returned in VPD page 0x80.
        v.Require(so.Wwn.Length > 0, path, "wwn (unit serial) is required; LIO uses a uuid4 string");
        v.Require(so.Wwn.Length <= 254, path, "wwn longer than 254 characters");
        v.Require(so.Wwn.All(c => c is > ' ' and <= '~'), path, $"wwn \"{so.Wwn}\" must be printable ASCII without spaces");
    }

    private static void ValidateDiscoveryAuth(Checker v, DiscoveryAuthConfig auth)
    {
        var path = Item(Root, "fabric_modules", auth.SourceIndex);
        ValidateChap(v, path, "discovery_", auth.UserId, auth.Password, auth.MutualUserId, auth.MutualPassword);
        v.Require(!auth.Enable || auth.UserId.Length > 0, Prop(path, "discovery_userid"),
            "discovery_enable_auth is set but no discovery_userid/discovery_password is configured");
    }

    /// <summary>
    /// CHAP credentials come in pairs, and mutual CHAP (the target proving itself) only runs after
    /// one-way CHAP. Secret length is not limited here: RFC 7143 §12.1.3 lets targets refuse secrets
    /// shorter than 12 bytes, which is a policy for the login code, not a format rule.
    /// </summary>
    private static void ValidateChap(Checker v, string path, string prefix, string userId, string password, string mutualUserId, string mutualPassword)
    {
        v.Require(userId.Length == 0 || password.Length > 0, Prop(path, prefix + "password"), $"{prefix}userid is set but {prefix}password is empty");
        v.Require(password.Length == 0 || userId.Length > 0, Prop(path, prefix + "userid"), $"{prefix}password is set but {prefix}userid is empty");
        v.Require(mutualUserId.Length == 0 || mutualPassword.Length > 0, Prop(path, prefix + "mutual_password"), $"{prefix}mutual_userid is set but {prefix}mutual_password is empty");
        v.Require(mutualPassword.Length == 0 || mutualUserId.Length > 0, Prop(path, prefix + "mutual_userid"), $"{prefix}mutual_password is set but {prefix}mutual_userid is empty");
        v.Require(mutualUserId.Length == 0 || userId.Length > 0, Prop(path, prefix + "userid"), $"mutual CHAP needs one-way CHAP too: {prefix}userid is empty");
    }

    /// <summary>Throws the first failed check as a <see cref="ConfigException"/>.</summary>
    private readonly struct Checker(string sourceName)
    {
        public void Require(bool condition, string path, string reason)
        {
            if (!condition)
                throw new ConfigException(sourceName, path, reason);
        }
    }
}
