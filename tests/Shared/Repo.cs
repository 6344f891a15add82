namespace SharpSan.Testing;

/// <summary>The repository (found from the test assembly upwards by SharpSan.slnx) and the executables
/// ./build.sh puts in its out/bin.</summary>
public static class Repo
{
    private static readonly string? FoundRoot = Find();

    /// <summary>The repository root; throws when the tests run outside a checkout.</summary>
    public static string Root => FoundRoot ?? throw new InvalidOperationException("repository root (SharpSan.slnx) not found");

    /// <summary>out/bin, or null outside a checkout.</summary>
    public static string? OutBin => FoundRoot is null ? null : Path.Combine(FoundRoot, "out", "bin");

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SharpSan.slnx")))
                return dir.FullName;
        }
        return null;
    }
}

/// <summary>Executables in out/bin (built by ./build.sh).</summary>
public static class OutBin
{
    /// <summary>The path of <paramref name="executable"/> in out/bin when it is there, else null.</summary>
    public static string? Path(string executable)
    {
        if (Repo.OutBin is null)
            return null;
        var path = System.IO.Path.Combine(Repo.OutBin, executable);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The path of <paramref name="executable"/> in out/bin; throws (failing the test) when missing.</summary>
    public static string Require(string executable)
    {
        var path = System.IO.Path.Combine(Repo.Root, "out", "bin", executable);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} missing: run ./build.sh (./test.sh does)");
        return path;
    }
}
