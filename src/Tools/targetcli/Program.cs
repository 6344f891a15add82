using SharpSan.TargetCli;
using SharpSan.TargetCli.Editing;
using SharpSan.TargetCli.Shell;

// targetcli for SharpSAN: argument parsing, terminal detection and wiring only; the shell lives in
// SharpSan.TargetCli. The control client comes from ControlClientFactory.Create (see its docs).
ControlClientFactory.Create = path => new SharpSan.Control.ControlHttpClient(path);
var parsed = CliArguments.Parse(args, Environment.GetEnvironmentVariable(ControlClientFactory.SocketEnvironmentVariable));
switch (parsed.Mode)
{
    case CliMode.Help:
        Console.Error.WriteLine(CliArguments.Usage("targetcli"));
        return 255;
    case CliMode.Version:
        Console.Error.WriteLine($"targetcli version {TargetCliShell.Version}");
        return 0;
    case CliMode.Error:
        Console.Error.WriteLine(parsed.Error);
        Console.Error.WriteLine(CliArguments.Usage("targetcli"));
        return 255;
}

var prefs = new Prefs(Prefs.DefaultDirectory());
var interactive = parsed.Mode == CliMode.Shell && !Console.IsInputRedirected;
var terminal = !Console.IsOutputRedirected;
var options = new ShellOptions
{
    IsTerminal = terminal,
    Width = () => terminal ? Console.WindowWidth : 80,
};
var shell = new TargetCliShell(ControlClientFactory.Create(parsed.SocketPath), prefs, options);
var runner = new ShellRunner(shell);
if (parsed.Mode == CliMode.Command)
    return await runner.RunCommandAsync(parsed.Command);
if (!interactive)
    return await runner.RunScriptAsync(Console.In);
return await runner.RunInteractiveAsync(new LineEditor(prefs.HistoryPath), Console.Out);
