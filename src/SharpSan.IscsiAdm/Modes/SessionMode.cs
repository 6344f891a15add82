using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>-m session: list (-P 0..3), or -r SID / all sessions with -u.</summary>
internal sealed class SessionMode(ISessionBackend sessions, SessionLogins logins, CommandOutput output)
{
    public async Task<IscsiError> RunAsync(IscsiAdmOptions o, CancellationToken ct)
    {
        if (o.Sid < 0 && o.Operations.HasFlag(NodeOperation.New))
        {
            output.Error("session mode: Operation 'new' only allowed with specific session IDs");
            return IscsiError.InvalidArgument;
        }
        if (o.Rescan)
            return output.NotSupported("rescanning sessions needs the SharpSAN iscsid, which is not available yet");
        if (o.Stats)
            return output.NotSupported("session statistics need the SharpSAN iscsid, which is not available yet");

        var list = await sessions.ListSessionsAsync(ct);
        if (o.Sid >= 0)
        {
            var session = list.FirstOrDefault(s => s.Sid == o.Sid);
            if (session is null)
            {
                output.Error($"Could not get session info for sid {o.Sid}");
                return IscsiError.SessionNotFound;
            }
            if (o.Logout)
                return await logins.LogoutAsync(s => s.Sid == o.Sid, ct);
            if (o.Operations != NodeOperation.None)
                return output.NotSupported("session record operations need the SharpSAN iscsid, which is not available yet");
            return Print(o, [session]);
        }
        if (o.Logout)
            return await logins.LogoutMatchingAsync(_ => true, ct);
        if (list.Count == 0)
        {
            output.Error("No active sessions.");
            return IscsiError.NoObjectsFound;
        }
        return Print(o, list);
    }

    private IscsiError Print(IscsiAdmOptions o, IReadOnlyList<SessionInfo> list)
    {
        if (o.PrintLevel is < -1 or > 3)
        {
            output.Error($"Invalid info level {o.PrintLevel}. Try 0 - 3.");
            return IscsiError.InvalidArgument;
        }
        output.Write(SessionPrinter.Format(list, o.PrintLevel, o.ShowSecrets, sessions.TransportClassVersion, IscsiAdmCommand.ProgramVersion));
        return IscsiError.Success;
    }
}
