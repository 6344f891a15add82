using SharpSan.Config;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Tools.Sharpsand;

/// <summary>`sharpsand --ietd FILE`: IET's ietd.conf, served directly or imported into a saveconfig.json.</summary>
internal static class IetdCommand
{
    /// <summary>Reads the file and its access files for serving; notes go to the log.</summary>
    public static SanConfig Load(string path, IReadOnlyList<string> portals)
    {
        var result = Read(path, portals, firstTid: 1);
        foreach (var file in result.AccessFiles)
            Log.Info($"access rules from {file}");
        foreach (var note in result.Notes)
            Log.Warning(note);
        Log.Info($"loaded {path}: {result.Config.Targets.Count} IET target(s) on {string.Join(", ", Portals(portals))}");
        return result.Config;
    }

    /// <summary>
    /// `--import-to OUT`: adds the IET targets to OUT (created if absent) with the same atomic, 0600,
    /// backed-up save targetcli's saveconfig uses; `--import-to -` prints them as a saveconfig.json.
    /// Returns the exit code: 0, or 1 with one line on stderr and OUT untouched.
    /// </summary>
    public static int Import(string path, IReadOnlyList<string> portals, string destination)
    {
        try
        {
            if (destination == "-")
            {
                var alone = Read(path, portals, firstTid: 1);
                PrintNotes(alone);
                Console.Write(SaveConfigWriter.Serialize(alone.Config));
                return 0;
            }
            var existing = File.Exists(destination) ? SaveConfigReader.Load(destination) : new SanConfig();
            var result = Read(path, portals, IetdImport.NextTid(existing));
            PrintNotes(result);
            IetdImport.Merge(existing, result.Config, destination);
            SaveConfigWriter.Save(existing, destination);
            var names = string.Join(", ", result.Config.Targets.Select(t => t.Wwn));
            Console.WriteLine($"sharpsand: imported {result.Config.Targets.Count} target(s) ({names}) and {result.Config.StorageObjects.Count} storage object(s) from {path} into {Path.GetFullPath(destination)}");
            return 0;
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"sharpsand: {ex.Message}");
            return 1;
        }
    }

    private static IetdConfResult Read(string path, IReadOnlyList<string> portals, int firstTid)
    {
        var options = new IetdOptions { FirstTid = firstTid };
        options.Portals.AddRange(portals);
        return IetdConfReader.Load(path, options);
    }

    private static void PrintNotes(IetdConfResult result)
    {
        foreach (var note in result.Notes)
            Console.Error.WriteLine($"sharpsand: note: {note}");
    }

    private static IEnumerable<string> Portals(IReadOnlyList<string> portals) => portals.Count > 0 ? portals : [IetdOptions.DefaultPortal];
}
