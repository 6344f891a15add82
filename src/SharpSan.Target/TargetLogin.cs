using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>
/// The login phase of one connection (RFC 7143 §6.3, §11.12-11.13): reads Login Requests, collects
/// text continued over several PDUs, lets <see cref="LoginNegotiation"/> decide, answers with Login
/// Responses, and at the final transit creates the session and switches the connection to full
/// feature phase.
/// </summary>
internal sealed class TargetLogin
{
    /// <summary>Cap on a login request's text spread over continued PDUs.</summary>
    private const int MaxLoginText = 64 * 1024;

    private readonly IscsiConnection _connection;
    private readonly ConnectionWriter _writer;
    private readonly LoginNegotiation _negotiation;

    public TargetLogin(IscsiConnection connection, ConnectionWriter writer)
    {
        _connection = connection;
        _writer = writer;
        _negotiation = new LoginNegotiation(connection.Server, connection.Local, connection.Remote);
    }

    private IscsiTargetServer Server => _connection.Server;
    private TargetOptions Options => _connection.Server.Options;
    private System.Net.IPEndPoint Remote => _connection.Remote;

    /// <summary>
    /// The login phase (RFC 7143 §6.3, §11.12-11.13): security and operational negotiation over
    /// Login Request/Response PDUs until both sides transit to full feature phase. Returns false when
    /// the connection must close (login failed, or the peer went away).
    /// </summary>
    public async Task<bool> RunAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_connection.Closing);
        timeout.CancelAfter(Options.LoginTimeout);
        var state = new LoginState(new Negotiator(Server.LocalNegotiationValues(null)));
        try
        {
            while (true)
            {
                var read = await _connection.ReadPduAsync(timeout.Token);
                if (read is null) return false;
                var frame = read.Value.Frame;
                var bhs = new Bhs(_connection.ReceivedHeader);
                if (bhs.Opcode != Opcode.LoginRequest)
                {
                    // §6.3: only Login Requests are allowed before full feature phase.
                    Log.Warning($"login from {Remote}: {bhs.Opcode} PDU during login; closing");
                    return false;
                }
                var req = new LoginRequestFields(LoginRequestPdu.Decode(bhs));
                if (!state.FirstSeen)
                {
                    _writer.BeginLogin(req.CmdSN, req.ExpStatSN);
                }
                if (state.Text.Length + frame.Data.Length > MaxLoginText)
                {
                    _connection.Consume(frame);
                    await SendLoginResponseAsync(req, LoginStatus.OutOfResources, false, 0, null, 0);
                    Log.Warning($"login from {Remote}: login text over {MaxLoginText} bytes");
                    return false;
                }
                foreach (var seg in frame.Data) state.Text.Write(seg.Span);
                _connection.Consume(frame);

                if (req.Continue)
                {
                    // §6.3 / §11.12.2: the target acknowledges a partial text with an empty response.
                    await SendLoginResponseAsync(req, LoginStatus.Success, false, 0, null, 0);
                    continue;
                }

                List<KeyValuePair<string, string>> keys;
                try
                {
                    keys = TextKeyValues.Parse(state.Text.GetBuffer().AsSpan(0, (int)state.Text.Length));
                }
                catch (FormatException ex)
                {
                    await SendLoginResponseAsync(req, LoginStatus.InitiatorError, false, 0, null, 0);
                    Log.Warning($"login from {Remote}: malformed text: {ex.Message}");
                    return false;
                }
                state.Text.SetLength(0);

                var response = new List<KeyValuePair<string, string>>();
                var step = _negotiation.Process(state, req, keys, response);
                if (step.Status != LoginStatus.Success)
                {
                    await SendLoginResponseAsync(req, step.Status, false, 0, null, 0);
                    Log.Warning($"login from {Remote} ({(state.InitiatorName.Length > 0 ? state.InitiatorName : "unnamed")}) refused, status 0x{(ushort)step.Status:x4}: {step.FailureLog}");
                    return false;
                }

                ushort tsih = 0;
                IscsiSession? session = null;
                if (step.Transit && step.NextStage == LoginNegotiation.FullFeatureStage)
                {
                    session = Server.CreateSession(state, _connection, req.CmdSN, out var replaced);
                    if (session is null)
                    {
                        await SendLoginResponseAsync(req, LoginStatus.OutOfResources, false, 0, null, 0);
                        Log.Warning($"login from {Remote}: no session slot left");
                        return false;
                    }
                    // Session reinstatement: the old session's tasks and nexus clean-up (reservations,
                    // unit attentions) must be over before the new session runs its first command.
                    if (replaced.Count > 0)
                    {
                        try
                        {
                            await Task.WhenAll(replaced).WaitAsync(Options.DrainTimeout + TimeSpan.FromSeconds(5), _connection.Closing);
                        }
                        catch (TimeoutException)
                        {
                            Log.Warning($"login from {Remote}: the reinstated session's clean-up is still running; continuing");
                        }
                    }
                    tsih = session.Tsih;
                }
                await SendLoginResponseAsync(req, LoginStatus.Success, step.Transit, step.NextStage, response, tsih);
                state.FirstResponseSent = true;
                if (session is not null)
                {
                    _connection.EnterFullFeature(session, state);
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!_connection.Closing.IsCancellationRequested)
        {
            Log.Warning($"login from {Remote}: not completed within {Options.LoginTimeout.TotalSeconds:0} s; closing");
            return false;
        }
    }

    private async ValueTask SendLoginResponseAsync(LoginRequestFields req, LoginStatus status, bool transit, int nextStage,
        List<KeyValuePair<string, string>>? keys, ushort tsih)
    {
        var data = keys is { Count: > 0 } ? TextKeyValues.Encode(keys) : Array.Empty<byte>();
        var h = ConnectionWriter.RentHeader();
        new LoginResponsePdu
        {
            Transit = transit,
            CurrentStage = (LoginStage)req.CurrentStage,
            NextStage = transit ? (LoginStage)nextStage : 0, // NSG is reserved without T (§11.13.1)
            VersionMax = 0,
            VersionActive = 0, // §11.13.4: draft 20 = 0x00
            Isid = req.Isid,
            Tsih = tsih,
            InitiatorTaskTag = req.Itt,
            Status = status,
        }.Encode(h, data.Length);
        await _writer.SendAsync(h, data, StatSnUse.Advance);
    }
}
