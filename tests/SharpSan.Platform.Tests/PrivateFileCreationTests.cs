using SharpSan.Testing;

namespace SharpSan.Platform.Tests;

/// <summary>The umask is process-wide: this test runs alone, so no server starting in parallel
/// changes it between the files it compares.</summary>
[CollectionDefinition(nameof(PrivateFileCreationTests), DisableParallelization = true)]
public class UmaskCollection;

[Collection(nameof(PrivateFileCreationTests))]
public class PrivateFileCreationTests
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Files_made_inside_are_owner_only_and_the_umask_comes_back()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "umask is a POSIX notion");
        using var dir = new TempDirectory();
        string before = Path.Combine(dir.Path, "before"), inside = Path.Combine(dir.Path, "inside"), after = Path.Combine(dir.Path, "after");
        // Asks for 0666, as bind(2) asks 0777 for a socket: only the umask can take bits away.
        var wide = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = (UnixFileMode)0x1B6 };

        using (new FileStream(before, wide)) { }
        await PrivateFileCreation.RunAsync(() => { using (new FileStream(inside, wide)) { } return Task.CompletedTask; });
        using (new FileStream(after, wide)) { }

        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(inside) & GroupOrOther);
        // Outside, the process's own umask applies again, whatever it is.
        Assert.Equal(File.GetUnixFileMode(before), File.GetUnixFileMode(after));
    }
}
