namespace SharpSan.Config;

/// <summary>
/// Reads IET's (iSCSI Enterprise Target) configuration: /etc/iet/ietd.conf with the
/// initiators.allow, initiators.deny and targets.allow next to it, into the one configuration tree,
/// so `sharpsand --ietd` serves it and an import saves it as saveconfig.json. A file that cannot be
/// served as written is refused as a whole with one line, "FILE:LINE: reason"; nothing is half-read.
/// How each directive maps onto the tree: <see cref="IetConfigBuilder"/>.
/// </summary>
public static class IetdConfReader
{
    public const string AllowFile = "initiators.allow";
    public const string DenyFile = "initiators.deny";
    public const string TargetsAllowFile = "targets.allow";

    /// <summary>Reads <paramref name="path"/> and the access files found for it (<see cref="IetdOptions.AccessDirectories"/>).</summary>
    /// <exception cref="ConfigException">A directive, value, LUN or access rule that cannot be served.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static IetdConfResult Load(string path, IetdOptions? options = null)
    {
        options ??= new IetdOptions();
        var text = File.ReadAllText(path);
        var directories = options.AccessDirectories ?? DefaultAccessDirectories(path);
        var read = new List<string>();
        IetAccessFile? Access(string name, bool namesAllowed)
        {
            foreach (var dir in directories)
            {
                var file = Path.Combine(dir, name);
                if (!File.Exists(file)) continue;
                read.Add(file);
                return IetAccessFile.Parse(File.ReadAllText(file), file, namesAllowed);
            }
            return null;
        }
        var access = new IetAccessMapper(Access(AllowFile, true), Access(DenyFile, true), Access(TargetsAllowFile, false));
        var file = IetdParser.Parse(text, path);
        var (config, notes) = IetConfigBuilder.Build(file, path, access, options);
        return new IetdConfResult(config, notes, read);
    }

    /// <summary>The ietd.conf's folder; for /etc/iet also /etc (IET's older location).</summary>
    public static IReadOnlyList<string> DefaultAccessDirectories(string confPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(confPath)) ?? "/";
        return dir == "/etc/iet" ? [dir, "/etc"] : [dir];
    }
}
