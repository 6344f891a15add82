using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.IscsiAdm.Modes;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm;

/// <summary>
/// iscsiadm: parses the command line and runs one mode against the node database and the
/// backends. Output follows open-iscsi 2.1.8: informational lines on stdout, errors and warnings
/// on stderr prefixed "iscsiadm: ", exit codes from <see cref="IscsiError"/>. Each mode is its own
/// type (<see cref="DiscoveryMode"/>, <see cref="NodeMode"/>, <see cref="SessionMode"/>,
/// <see cref="IfaceMode"/>); this class only dispatches.
/// </summary>
public sealed class IscsiAdmCommand
{
    public const string ProgramVersion = OpenIscsi.Version;

    private readonly ISessionBackend _sessions;
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly CommandOutput _output;
    private readonly DiscoveryMode _discoveryMode;
    private readonly NodeMode _nodeMode;
    private readonly SessionMode _sessionMode;
    private readonly IfaceMode _ifaceMode;

    public IscsiAdmCommand(NodeDatabase database, IDiscoveryBackend discovery, ISessionBackend sessions, TextWriter stdout, TextWriter stderr)
    {
        _sessions = sessions;
        _out = stdout;
        _err = stderr;
        _output = new CommandOutput(stdout, stderr);
        var logins = new SessionLogins(database, sessions, _output);
        _discoveryMode = new DiscoveryMode(database, new SendTargetsDiscovery(database, discovery, logins, _output), _output);
        _nodeMode = new NodeMode(database, logins, _output);
        _sessionMode = new SessionMode(sessions, logins, _output);
        _ifaceMode = new IfaceMode(database, _output);
    }

    /// <summary>
    /// The executable's entry: database from $SHARPSAN_ISCSI_ROOT (or /etc/iscsi), backends from
    /// <see cref="IscsiAdmBackends"/>, the console for output. Returns the exit code.
    /// </summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true, NewLine = "\n" };
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true, NewLine = "\n" };
        var command = new IscsiAdmCommand(NodeDatabase.FromEnvironment(), IscsiAdmBackends.Discovery(), IscsiAdmBackends.Sessions(), stdout, stderr);
        return command.RunAsync(args, cancellationToken);
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var parsed = ArgumentParser.Parse(args, _err);
        if (parsed.ExitCode is int early)
            return early;
        var o = parsed.Options;
        if (o.Version)
        {
            _out.Write($"iscsiadm version {ProgramVersion}\n");
            return 0;
        }
        if (o.Help)
        {
            _out.Write(Usage.Text);
            return 0;
        }
        try
        {
            if (o.KillIscsid >= 0)
                return await KillIscsidAsync(o, cancellationToken);
            if (o.Mode is null)
            {
                _err.Write("Try `iscsiadm --help' for more information.\n");
                return (int)IscsiError.InvalidArgument;
            }
            var rc = o.Mode.Value switch
            {
                IscsiAdmMode.Discovery => await _discoveryMode.RunAsync(o, cancellationToken),
                IscsiAdmMode.DiscoveryDb => await _discoveryMode.RunDbAsync(o, cancellationToken),
                IscsiAdmMode.Node => await _nodeMode.RunAsync(o, cancellationToken),
                IscsiAdmMode.Session => await _sessionMode.RunAsync(o, cancellationToken),
                IscsiAdmMode.Iface => _ifaceMode.Run(o),
                IscsiAdmMode.Host => _output.NotSupported("host mode needs offload iSCSI hosts, which SharpSAN does not have"),
                _ => _output.NotSupported("fw mode needs iBFT/OF firmware boot support, which SharpSAN does not have yet"),
            };
            return (int)rc;
        }
        catch (IscsiAdmException e)
        {
            if (e.Message.Length > 0)
                _output.Error(e.Message);
            return (int)e.Error;
        }
    }

    private async Task<int> KillIscsidAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        if (o.KillIscsid != 0)
        {
            _output.Error($"Invalid iscsid priority {o.KillIscsid}. Priority must be 0.");
            return 0;
        }
        // Stopping iscsid goes through the daemon's control socket; ask the session backend
        // whether it is there at all, so the answer matches open-iscsi's when it is not.
        try
        {
            await _sessions.ListSessionsAsync(ct);
        }
        catch (IscsiAdmException e)
        {
            _output.ReportInitiatorError(e.Error);
            _output.Error("Could not stop iscsid. Trying sending iscsid SIGTERM or SIGKILL signals manually");
            return (int)e.Error;
        }
        return (int)_output.NotSupported("stopping iscsid is done with systemctl stop iscsid for the SharpSAN iscsid");
    }
}
