using SharpSan.Platform;
using SharpSan.Scsi;

namespace SharpSan.Daemon;

/// <summary>
/// A logical unit's APTPL state in one file, &lt;state dir&gt;/pr/aptpl_&lt;wwn&gt; (LIO keeps it in
/// /etc/target/pr/aptpl_&lt;wwn&gt;): replaced atomically (temp file, fsync, rename, directory fsync,
/// mode 0600) so a crash leaves the old or the new state, never a mix.
/// </summary>
internal sealed class AptplFileStore : IPersistentReservationStore
{
    public AptplFileStore(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>The store of the unit whose storage object has <paramref name="wwn"/>, under
    /// <paramref name="stateDirectory"/>.</summary>
    public static AptplFileStore For(string stateDirectory, string wwn)
    {
        var name = new string(wwn.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return new AptplFileStore(System.IO.Path.Combine(stateDirectory, "pr", "aptpl_" + name));
    }

    public PersistentReservationState? Load()
    {
        if (!File.Exists(Path)) return null;
        try
        {
            return AptplFile.Parse(File.ReadAllText(Path));
        }
        catch (FormatException ex)
        {
            throw new IOException($"{Path}: {ex.Message}", ex);
        }
    }

    public ValueTask SaveAsync(PersistentReservationState? state, CancellationToken cancellationToken)
    {
        if (state is null)
        {
            if (File.Exists(Path))
            {
                File.Delete(Path);
                AtomicFile.SyncDirectory(System.IO.Path.GetDirectoryName(Path)!);
            }
            return default;
        }
        AtomicFile.Write(Path, AptplFile.Format(state), new AtomicWriteOptions { CreateDirectories = true });
        return default;
    }
}
