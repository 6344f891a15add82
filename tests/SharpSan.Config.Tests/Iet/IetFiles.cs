namespace SharpSan.Config.Tests.Iet;

/// <summary>A folder holding an ietd.conf, its access files and the backing files its LUNs name.</summary>
internal sealed class IetFiles : IDisposable
{
    public const string Iqn = "iqn.2001-04.org.ultimana:storage.disk1";

    private readonly TempDirectory _dir = new(prefix: "sharpsan-iet-");

    public IetFiles()
    {
        Disk = Backing("disk.img", 100L << 20);
    }

    public string Dir => _dir.Path;

    /// <summary>A 100 MiB sparse file, as seed 004's dd makes one.</summary>
    public string Disk { get; }

    public string Conf => _dir.File("ietd.conf");

    public string File(string name) => _dir.File(name);

    /// <summary>A sparse file of <paramref name="bytes"/> in the folder.</summary>
    public string Backing(string name, long bytes)
    {
        var path = _dir.File(name);
        using var f = System.IO.File.Create(path);
        f.SetLength(bytes);
        return path;
    }

    public IetFiles Write(string name, string text)
    {
        System.IO.File.WriteAllText(_dir.File(name), text);
        return this;
    }

    /// <summary>Writes ietd.conf and reads it (access files from this folder only).</summary>
    public IetdConfResult Load(string ietdConf, int firstTid = 1, params string[] portals)
    {
        Write("ietd.conf", ietdConf);
        var options = new IetdOptions { AccessDirectories = [Dir], FirstTid = firstTid };
        options.Portals.AddRange(portals);
        return IetdConfReader.Load(Conf, options);
    }

    /// <summary>The one-line error reading <paramref name="ietdConf"/> gives.</summary>
    public string Error(string ietdConf) => Assert.Throws<ConfigException>(() => Load(ietdConf)).Message;

    public void Dispose() => _dir.Dispose();
}
