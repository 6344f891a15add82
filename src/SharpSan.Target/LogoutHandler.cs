using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>Logout requests of a connection (RFC 7143 §11.14, §11.15).</summary>
internal sealed class LogoutHandler
{
    private readonly IscsiConnection _connection;
    private readonly ConnectionWriter _writer;
    private readonly byte[] _rxHeader;

    public LogoutHandler(IscsiConnection connection, ConnectionWriter writer)
    {
        _connection = connection;
        _writer = writer;
        _rxHeader = connection.ReceivedHeader;
    }

    /// <summary>Logout: in-flight commands finish first, then the response, then close. Returns false
    /// when the connection is to close.</summary>
    public async ValueTask<bool> HandleAsync()
    {
        var logout = LogoutRequestPdu.Decode(_rxHeader);
        var reason = logout.Reason;
        uint itt = logout.InitiatorTaskTag;
        ushort cid = logout.Cid;
        var session = _connection.Session!;
        session.AcceptCmdSN(logout.Sequence.CmdSN, logout.Immediate, consumesSlot: false);
        var response = reason switch
        {
            LogoutReason.CloseSession => LogoutResponseCode.ClosedSuccessfully,
            // Close a connection: ours, or "CID not found".
            LogoutReason.CloseConnection => cid == _connection.Cid ? LogoutResponseCode.ClosedSuccessfully : LogoutResponseCode.CidNotFound,
            // Remove the connection for recovery: not supported at ERL 0.
            LogoutReason.RemoveConnectionForRecovery => LogoutResponseCode.ConnectionRecoveryNotSupported,
            _ => LogoutResponseCode.CleanupFailed,
        };
        if (response != LogoutResponseCode.ClosedSuccessfully)
        {
            await SendResponseAsync(itt, response);
            return true;
        }
        await ScsiTaskRunner.WaitForTasksAsync(session, _connection.Server.Options.DrainTimeout);
        // The session ends here, before the answer (with MaxConnections=1 closing our connection
        // closes the session too): its I_T nexus is lost (SAM-5 6.3.4), so reservations and unit
        // attentions are released before the initiator can see the logout done and log in again,
        // not whenever the socket's close path runs.
        _connection.Server.SessionEnded(session, _connection, nexusLoss: false);
        await SendResponseAsync(itt, LogoutResponseCode.ClosedSuccessfully);
        Log.Debug($"logout: {session.InitiatorName} TSIH {session.Tsih}");
        return false;
    }

    private async ValueTask SendResponseAsync(uint itt, LogoutResponseCode response)
    {
        var h = ConnectionWriter.RentHeader();
        new LogoutResponsePdu { Response = response, InitiatorTaskTag = itt }.Encode(h);
        await _writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance);
    }
}
