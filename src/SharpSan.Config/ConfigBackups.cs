using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using SharpSan.Platform;

namespace SharpSan.Config;

/// <summary>
/// targetcli-compatible backups: before saving, the current file is copied gzipped to
/// backup/&lt;stem&gt;-YYYYMMDD-HH:MM:SS-json.gz next to it (targetcli-fb ui_root._save_backups names them
/// saveconfig-YYYYMMDD-HH:MM:SS-json.gz), unless it equals the newest backup; then only the newest
/// <c>keep</c> backups are kept. Names sort chronologically, so pruning goes by name.
/// </summary>
internal static partial class ConfigBackups
{
    public const string DirectoryName = "backup";

    public static string BackupDirectory(string configPath)
        => Path.Combine(Path.GetDirectoryName(configPath) ?? ".", DirectoryName);

    public static string BackupName(string configPath, DateTime localTime)
        => $"{Stem(configPath)}-{localTime.ToString("yyyyMMdd-HH:mm:ss", CultureInfo.InvariantCulture)}-json.gz";

    public static void Backup(string configPath, int keep, DateTime localTime)
    {
        var dir = BackupDirectory(configPath);
        if (!Directory.Exists(dir))
        {
            // 0700 (targetcli uses 0600, which leaves the directory untraversable for its owner too).
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(dir);
            else
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var current = File.ReadAllBytes(configPath);
        var existing = List(configPath);
        // Same rule as targetcli: nothing new to keep if the newest backup already holds this content.
        if (existing.Count > 0 && SameContent(existing[^1], current))
            return;

        var target = Path.Combine(dir, BackupName(configPath, localTime));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = AtomicFile.PrivateMode;
        using (var file = new FileStream(target, options))
        {
            using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(current);
            file.Flush(flushToDisk: true);
        }

        var all = List(configPath);
        for (var i = 0; i < all.Count - keep; i++)
            File.Delete(all[i]);
    }

    /// <summary>This file's backups, oldest first. Only names this class (or targetcli) writes are considered.</summary>
    public static List<string> List(string configPath)
    {
        var dir = BackupDirectory(configPath);
        if (!Directory.Exists(dir))
            return [];
        var prefix = Stem(configPath) + "-";
        var files = Directory.EnumerateFiles(dir)
            .Where(f =>
            {
                var name = Path.GetFileName(f);
                return name.StartsWith(prefix, StringComparison.Ordinal) && Stamp().IsMatch(name[prefix.Length..]);
            })
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public static byte[] ReadBackup(string backupPath)
    {
        using var file = File.OpenRead(backupPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static bool SameContent(string backupPath, byte[] current)
    {
        try
        {
            return ReadBackup(backupPath).AsSpan().SequenceEqual(current);
        }
        catch (InvalidDataException)
        {
            return false; // a damaged backup is no reason to refuse a save; a fresh one is written
        }
    }

    private static string Stem(string configPath) => Path.GetFileNameWithoutExtension(configPath);

    [GeneratedRegex(@"^[0-9]{8}-[0-9]{2}:[0-9]{2}:[0-9]{2}-json\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex Stamp();
}
