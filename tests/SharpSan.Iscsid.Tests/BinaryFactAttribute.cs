namespace SharpSan.Iscsid.Tests;

/// <summary>A fact skipped, with the reason, when ./build.sh has not put the named executables in out/bin.</summary>
public sealed class BinaryFactAttribute : FactAttribute
{
    public BinaryFactAttribute(params string[] executables)
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "iscsid runs on Linux";
            return;
        }
        var missing = executables.Where(e => OutBin.Path(e) is null).ToList();
        if (missing.Count > 0)
            Skip = $"out/bin/{string.Join(", out/bin/", missing)} not built (run ./build.sh)";
    }
}

/// <summary>The repository's out/bin folder (found from the test assembly upwards).</summary>
internal static class OutBin
{
    public static string? Folder { get; } = Find();

    public static string? Path(string executable)
    {
        if (Folder is null)
            return null;
        var path = System.IO.Path.Combine(Folder, executable);
        return File.Exists(path) ? path : null;
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SharpSan.slnx")))
                return System.IO.Path.Combine(dir.FullName, "out", "bin");
        }
        return null;
    }
}
