using System.Text;

namespace SharpSan.Config;

/// <summary>Finds the newest backup of a configuration file that still loads, to name it when the
/// file itself is damaged (so the administrator knows what to restore).</summary>
public static class LastGoodBackup
{
    /// <summary>The newest backup in <c>backup/</c> beside <paramref name="configPath"/> that parses and
    /// validates, or null when there is none.</summary>
    public static string? Find(string configPath)
    {
        var backups = ConfigBackups.List(configPath);
        for (int i = backups.Count - 1; i >= 0; i--)
        {
            try
            {
                var text = Encoding.UTF8.GetString(ConfigBackups.ReadBackup(backups[i]));
                SaveConfigReader.Parse(text, Path.GetFileName(backups[i]));
                return backups[i];
            }
            catch (Exception ex) when (ex is ConfigException or InvalidDataException or IOException)
            {
                // damaged too: try an older one
            }
        }
        return null;
    }
}
