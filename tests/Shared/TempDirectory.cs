using System.Diagnostics;

namespace SharpSan.Testing;

/// <summary>A folder of its own for one test, removed with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>tmpfs (memory) on Linux, for tests that need a file system without a disk behind it.</summary>
    public const string Tmpfs = "/dev/shm";

    /// <param name="parent">Where to create it: the temp folder (a disk here) unless given, e.g. <see cref="Tmpfs"/>.</param>
    /// <param name="prefix">The start of its name, saying which tests made it.</param>
    public TempDirectory(string? parent = null, string prefix = "sharpsan-")
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>A folder on tmpfs (<see cref="Tmpfs"/>).</summary>
    public static TempDirectory OnTmpfs(string prefix = "sharpsan-") => new(Tmpfs, prefix);

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> in this folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }

    /// <summary>Bytes actually allocated on disk (st_blocks * 512), via stat(1).</summary>
    public static long AllocatedBytes(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true })!;
        string[] parts = stat.StandardOutput.ReadToEnd().Trim().Split(' ');
        stat.WaitForExit();
        Assert.Equal(0, stat.ExitCode);
        return long.Parse(parts[0]) * long.Parse(parts[1]);
    }
}
