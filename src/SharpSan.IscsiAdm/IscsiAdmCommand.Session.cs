using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm;

public sealed partial class IscsiAdmCommand
{
    /// <summary>-m session: list (-P 0..3), or -r SID / all sessions with -u.</summary>
    private async Task<IscsiError> SessionModeAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        if (o.Sid < 0 && o.Operations.HasFlag(NodeOperation.New))
        {
            Error("session mode: Operation 'new' only allowed with specific session IDs");
            return IscsiError.InvalidArgument;
        }
        if (o.Rescan)
            return NotSupported("rescanning sessions needs the SharpSAN iscsid, which is not available yet");
        if (o.Stats)
            return NotSupported("session statistics need the SharpSAN iscsid, which is not available yet");

        var sessions = await _sessions.ListSessionsAsync(ct);
        if (o.Sid >= 0)
        {
            var session = sessions.FirstOrDefault(s => s.Sid == o.Sid);
            if (session is null)
            {
                Error($"Could not get session info for sid {o.Sid}");
                return IscsiError.SessionNotFound;
            }
            if (o.Logout)
                return await LogoutSessionsAsync(s => s.Sid == o.Sid, ct);
            if (o.Operations != NodeOperation.None)
                return NotSupported("session record operations need the SharpSAN iscsid, which is not available yet");
            return Print(o, [session]);
        }
        if (o.Logout)
        {
            var rc = await LogoutSessionsAsync(_ => true, ct);
            if (rc == IscsiError.NoObjectsFound)
                Error("No matching sessions found");
            return rc;
        }
        if (sessions.Count == 0)
        {
            Error("No active sessions.");
            return IscsiError.NoObjectsFound;
        }
        return Print(o, sessions);
    }

    private IscsiError Print(IscsiAdmOptions o, IReadOnlyList<SessionInfo> sessions)
    {
        if (o.PrintLevel is < -1 or > 3)
        {
            Error($"Invalid info level {o.PrintLevel}. Try 0 - 3.");
            return IscsiError.InvalidArgument;
        }
        _out.Write(SessionPrinter.Format(sessions, o.PrintLevel, o.ShowSecrets, _sessions.TransportClassVersion, ProgramVersion));
        return IscsiError.Success;
    }
}
