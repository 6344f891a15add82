using System.Diagnostics;

namespace SharpSan.Backstores.Tests;

internal sealed class TempDirectory : IDisposable
{
    /// <param name="parent">Where to create it: the temp folder (a disk here), or e.g. /dev/shm for tmpfs.</param>
    public TempDirectory(string? parent = null)
    {
        Path = System.IO.Path.Combine(parent ?? System.IO.Path.GetTempPath(), "sharpsan-bs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);

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
