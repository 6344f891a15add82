using SharpSan.TargetCli.Shell;

namespace SharpSan.TargetCli.Tests;

/// <summary>A shell over an InMemoryControlClient in a temp folder, with captured output.</summary>
internal sealed class ShellHarness : IDisposable
{
    public ShellHarness(int? width = null, Dictionary<string, ulong>? devices = null, string? prefsDir = null)
    {
        Folder = Directory.CreateTempSubdirectory("targetcli-tests-").FullName;
        Client = new InMemoryControlClient(Path.Combine(Folder, "etc", "target", "saveconfig.json"));
        Prefs = new Prefs(prefsDir ?? Path.Combine(Folder, "home"));
        Prefs.Set("color_mode", "false");
        devices ??= new();
        Shell = new TargetCliShell(Client, Prefs, new ShellOptions
        {
            Out = Combined,
            Err = new TeeWriter(Combined, Errors),
            IsTerminal = width is not null,
            Width = () => width ?? 80,
            SizeProbe = p => devices.TryGetValue(p, out var s) ? s : Tree.DeviceSize.Probe(p),
            HostName = () => "server1.example.com",
            CurrentDirectory = () => Folder,
        });
    }

    public string Folder { get; }
    public InMemoryControlClient Client { get; }
    public Prefs Prefs { get; }
    public TargetCliShell Shell { get; }
    public StringWriter Combined { get; } = new();
    public StringWriter Errors { get; } = new();

    /// <summary>Runs the lines; returns what they printed (stdout and stderr in order), paths normalised.</summary>
    public List<string> Run(params string[] lines)
    {
        var start = Combined.GetStringBuilder().Length;
        foreach (var line in lines)
            Shell.RunLineAsync(line).GetAwaiter().GetResult();
        return Lines(Combined.ToString()[start..]);
    }

    public List<string> Lines(string text)
        => Normalise(text).Split('\n').Select(l => l.TrimEnd('\r')).SkipLast(1).ToList();

    public string Normalise(string text) => text.Replace(Path.Combine(Folder, "etc", "target"), "/etc/target");

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private sealed class TeeWriter(TextWriter a, TextWriter b) : TextWriter
    {
        public override System.Text.Encoding Encoding => a.Encoding;
        public override void Write(char value) { a.Write(value); b.Write(value); }
        public override void Write(string? value) { a.Write(value); b.Write(value); }
        public override void WriteLine(string? value) { a.WriteLine(value); b.WriteLine(value); }
    }
}
