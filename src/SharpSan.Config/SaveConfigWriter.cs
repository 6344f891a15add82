using System.Text;
using SharpSan.Platform;

namespace SharpSan.Config;

/// <summary>
/// Writes the tree as LIO's saveconfig.json. Serialization is a pure function of the tree; saving is
/// atomic (temp file, fsync, rename, fsync directory) and keeps targetcli-style backups.
/// </summary>
public static partial class SaveConfigWriter
{
    /// <summary>The file text exactly as rtslib would write it (sorted keys, indent 2, trailing newline).</summary>
    public static string Serialize(SanConfig config)
        => PythonJsonEmitter.Emit(BuildRoot(config)) + "\n";

    /// <summary>
    /// Validates, backs up the current file (if any, and if it differs from the newest backup) into
    /// backup/ next to it, keeping the <paramref name="backups"/> newest, then atomically replaces it.
    /// The file is created 0600: it holds CHAP secrets.
    /// </summary>
    public static void Save(SanConfig config, string path, int backups = 10)
        => Save(config, path, backups, TimeProvider.System, beforeRename: null);

    /// <summary>Test seam: a clock for backup names and a hook run between the temp file's fsync and the rename.</summary>
    internal static void Save(SanConfig config, string path, int backups, TimeProvider clock, Action<string>? beforeRename)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(backups);
        var fullPath = System.IO.Path.GetFullPath(path);
        // Never persist a tree the reader would refuse at the next start.
        ConfigValidator.Validate(config, System.IO.Path.GetFileName(fullPath));
        var bytes = Encoding.UTF8.GetBytes(Serialize(config));

        if (backups > 0 && File.Exists(fullPath))
            ConfigBackups.Backup(fullPath, backups, clock.GetLocalNow().DateTime);
        AtomicFile.Write(fullPath, bytes, new AtomicWriteOptions { BeforeRename = beforeRename });
    }
}
