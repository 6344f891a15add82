namespace SharpSan.TargetCli;

/// <summary>What the targetcli executable was asked to do.</summary>
public enum CliMode { Shell, Command, Help, Version, Error }

/// <summary>
/// targetcli's command line: <c>targetcli [--socket PATH] [CMD...]</c>; "--help"/"-h"/"help" and
/// "--version"/"-v"/"version" as the first word, like targetcli's usage_version(). The socket defaults
/// to $SHARPSAN_CONTROL_SOCKET, then /run/sharpsan/control.sock.
/// </summary>
public sealed record CliArguments(CliMode Mode, string SocketPath, string Command, string Error = "")
{
    public static CliArguments Parse(IReadOnlyList<string> args, string? socketFromEnvironment)
    {
        var socket = string.IsNullOrEmpty(socketFromEnvironment) ? SharpSan.Control.ControlHttpServer.DefaultSocketPathForThisUser() : socketFromEnvironment;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (rest.Count == 0 && arg == "--socket")
            {
                if (i + 1 >= args.Count)
                    return new(CliMode.Error, socket, "", "--socket needs a path");
                socket = args[++i];
            }
            else if (rest.Count == 0 && arg.StartsWith("--socket=", StringComparison.Ordinal))
                socket = arg["--socket=".Length..];
            else
                rest.Add(arg);
        }
        if (rest.Count == 0)
            return new(CliMode.Shell, socket, "");
        var first = rest[0];
        if (first is "help" or "--help" or "-h")
            return new(CliMode.Help, socket, "");
        if (first is "version" or "--version" or "-v")
            return new(CliMode.Version, socket, "");
        if (first.StartsWith("--", StringComparison.Ordinal))
            return new(CliMode.Error, socket, "", $"unknown option {first}");
        return new(CliMode.Command, socket, string.Join(' ', rest));
    }

    public static string Usage(string program) =>
        $"Usage: {program} [--socket PATH] [--version|--help|CMD]\n" +
        "  --version\t\tPrint version\n" +
        "  --help\t\tPrint this information\n" +
        "  --socket PATH\t\tsharpsand control socket (default $SHARPSAN_CONTROL_SOCKET or /run/sharpsan/control.sock)\n" +
        "  CMD\t\t\tRun targetcli shell command and exit\n" +
        "  <nothing>\t\tEnter configuration shell (commands are read from standard input when it is not a terminal)\n" +
        "See man page for more information.";
}
