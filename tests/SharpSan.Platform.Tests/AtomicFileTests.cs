using System.Runtime.InteropServices;
using System.Text;

namespace SharpSan.Platform.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("atomicfile-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string[] Entries(string dir) =>
        Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Writes_the_content_0600_by_default_and_leaves_no_temp()
    {
        var path = Path.Combine(_dir, "file.json");
        AtomicFile.Write(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["file.json"], Entries(_dir));
    }

    [Fact]
    public void Text_is_written_as_utf8_without_a_bom()
    {
        var path = Path.Combine(_dir, "record");
        AtomicFile.Write(path, "node.name = iqn.é\n");
        Assert.Equal(Encoding.UTF8.GetBytes("node.name = iqn.é\n"), File.ReadAllBytes(path));
    }

    [Fact]
    public void Replaces_a_world_readable_file_with_the_mode_asked_for()
    {
        var path = Path.Combine(_dir, "file");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        AtomicFile.Write(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var open = Path.Combine(_dir, "initiatorname.iscsi");
        const UnixFileMode mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var previous = Umask(0b000_010_010); // 022
        try
        {
            AtomicFile.Write(open, "InitiatorName=iqn.x\n", new AtomicWriteOptions { Mode = mode0644 });
        }
        finally
        {
            Umask(previous);
        }
        Assert.Equal(mode0644, File.GetUnixFileMode(open));
    }

    [Fact]
    public void A_missing_directory_is_an_error_unless_asked_to_create_it_0700()
    {
        var path = Path.Combine(_dir, "nodes", "iqn.x:t", "10.0.0.1,3260,1", "default");
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(path, "a"));

        AtomicFile.Write(path, "a", new AtomicWriteOptions { CreateDirectories = true });
        Assert.Equal("a", File.ReadAllText(path));
        var folder = Path.GetDirectoryName(path)!;
        for (var d = folder; d != _dir; d = Path.GetDirectoryName(d)!)
            Assert.Equal(AtomicFile.PrivateDirectoryMode, File.GetUnixFileMode(d));
        Assert.Equal(["default"], Entries(folder));
    }

    [Fact]
    public void A_failure_before_the_rename_keeps_the_old_file_and_removes_the_temp()
    {
        var path = Path.Combine(_dir, "saveconfig.json");
        AtomicFile.Write(path, "old");
        string? tempSeen = null;
        var ex = Assert.Throws<IOException>(() => AtomicFile.Write(path, "new", new AtomicWriteOptions
        {
            BeforeRename = temp =>
            {
                tempSeen = temp;
                Assert.Equal(_dir, Path.GetDirectoryName(temp));
                Assert.StartsWith(AtomicFile.TempPrefix("saveconfig.json"), Path.GetFileName(temp));
                Assert.EndsWith(AtomicFile.TempSuffix, temp);
                Assert.Equal("new", File.ReadAllText(temp)); // complete and fsynced before the rename
                Assert.Equal(AtomicFile.PrivateMode, File.GetUnixFileMode(temp));
                throw new IOException("simulated crash before rename");
            },
        }));
        Assert.Equal("simulated crash before rename", ex.Message);
        Assert.NotNull(tempSeen);
        Assert.False(File.Exists(tempSeen));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["saveconfig.json"], Entries(_dir));
    }

    [Fact]
    public void Syncing_a_directory_that_is_not_there_fails()
    {
        Assert.Throws<IOException>(() => AtomicFile.SyncDirectory(Path.Combine(_dir, "gone")));
        AtomicFile.SyncDirectory(_dir);
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
