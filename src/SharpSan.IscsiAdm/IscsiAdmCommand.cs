using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm;

/// <summary>
/// iscsiadm: parses the command line and runs one mode against the node database and the
/// backends. Output follows open-iscsi 2.1.8: informational lines on stdout, errors and warnings
/// on stderr prefixed "iscsiadm: ", exit codes from <see cref="IscsiError"/>.
/// </summary>
public sealed partial class IscsiAdmCommand
{
    public const string ProgramVersion = OpenIscsi.Version;

    private readonly NodeDatabase _db;
    private readonly IDiscoveryBackend _discovery;
    private readonly ISessionBackend _sessions;
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    public IscsiAdmCommand(NodeDatabase database, IDiscoveryBackend discovery, ISessionBackend sessions, TextWriter stdout, TextWriter stderr)
    {
        _db = database;
        _discovery = discovery;
        _sessions = sessions;
        _out = stdout;
        _err = stderr;
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
                IscsiAdmMode.Discovery => await DiscoveryModeAsync(o, cancellationToken),
                IscsiAdmMode.DiscoveryDb => await DiscoveryDbModeAsync(o, cancellationToken),
                IscsiAdmMode.Node => await NodeModeAsync(o, cancellationToken),
                IscsiAdmMode.Session => await SessionModeAsync(o, cancellationToken),
                IscsiAdmMode.Iface => IfaceMode(o),
                IscsiAdmMode.Host => NotSupported("host mode needs offload iSCSI hosts, which SharpSAN does not have"),
                _ => NotSupported("fw mode needs iBFT/OF firmware boot support, which SharpSAN does not have yet"),
            };
            return (int)rc;
        }
        catch (IscsiAdmException e)
        {
            if (e.Message.Length > 0)
                Error(e.Message);
            return (int)e.Error;
        }
    }

    private IscsiError NotSupported(string why)
    {
        Error(why);
        return IscsiError.OperationNotSupported;
    }

    private async Task<int> KillIscsidAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        if (o.KillIscsid != 0)
        {
            Error($"Invalid iscsid priority {o.KillIscsid}. Priority must be 0.");
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
            Error($"initiator reported error ({(int)e.Error} - {IscsiErrors.Message(e.Error)})");
            Error("Could not stop iscsid. Trying sending iscsid SIGTERM or SIGKILL signals manually");
            return (int)e.Error;
        }
        return (int)NotSupported("stopping iscsid is done with systemctl stop iscsid for the SharpSAN iscsid");
    }

    /// <summary>log_error / log_warning: "iscsiadm: " + text on stderr.</summary>
    private void Error(string text) => _err.Write("iscsiadm: " + text + "\n");

    /// <summary>log_info: the text on stdout.</summary>
    private void Info(string text) => _out.Write(text + "\n");

    private void ReportInitiatorError(IscsiError error) =>
        Error($"initiator reported error ({(int)error} - {IscsiErrors.Message(error)})");
}
