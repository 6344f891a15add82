using SharpSan.Control;

namespace SharpSan.Tgt.Tgtadm;

/// <summary>tgtadm from arguments to exit code, given how to reach the daemon (the executable wires
/// the real control client; tests pass their own).</summary>
public static class TgtadmMain
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, IControlClient> connect, TextWriter stdout, TextWriter stderr,
        string? socketFromEnvironment)
    {
        var outcome = await RunAsync(args, connect, socketFromEnvironment).ConfigureAwait(false);
        await stdout.WriteAsync(outcome.Stdout).ConfigureAwait(false);
        await stderr.WriteAsync(outcome.Stderr).ConfigureAwait(false);
        return outcome.ExitCode;
    }

    internal static async Task<TgtadmOutcome> RunAsync(IReadOnlyList<string> args, Func<string, IControlClient> connect, string? socketFromEnvironment)
    {
        var request = TgtadmCommandLine.Parse(args, out var exit);
        if (request is null)
            return exit!;
        var client = connect(TgtControlSocket.Resolve(request.ControlPort, socketFromEnvironment));
        try
        {
            return await new TgtadmExecutor(client).RunAsync(request).ConfigureAwait(false);
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }
    }
}
