using System.Buffers;
using SharpSan.Protocol;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

internal sealed partial class IscsiConnection
{
    private const int SecurityStage = 0;
    private const int OperationalStage = 1;
    private const int FullFeatureStage = 3;
    /// <summary>Cap on a login request's text spread over continued PDUs.</summary>
    private const int MaxLoginText = 64 * 1024;

    /// <summary>
    /// The login phase (RFC 7143 §6.3, §11.12-11.13): security and operational negotiation over
    /// Login Request/Response PDUs until both sides transit to full feature phase. Returns false when
    /// the connection must close (login failed, or the peer went away).
    /// </summary>
    private async Task<bool> LoginAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        timeout.CancelAfter(Options.LoginTimeout);
        var state = new LoginState(new Negotiator(Server.LocalNegotiationValues(null)));
        try
        {
            while (true)
            {
                var read = await ReadPduAsync(timeout.Token);
                if (read is null) return false;
                var frame = read.Value.Frame;
                var bhs = new Bhs(_rxHeader);
                if (bhs.Opcode != Opcode.LoginRequest)
                {
                    // §6.3: only Login Requests are allowed before full feature phase.
                    Log.Warning($"login from {Remote}: {bhs.Opcode} PDU during login; closing");
                    return false;
                }
                var req = new LoginRequestFields(LoginRequestPdu.Decode(bhs));
                if (!state.FirstSeen)
                {
                    Writer.BeginLogin(req.CmdSN, req.ExpStatSN);
                }
                if (state.Text.Length + frame.Data.Length > MaxLoginText)
                {
                    Consume(frame);
                    await SendLoginResponseAsync(req, LoginStatus.OutOfResources, false, 0, null, 0);
                    Log.Warning($"login from {Remote}: login text over {MaxLoginText} bytes");
                    return false;
                }
                foreach (var seg in frame.Data) state.Text.Write(seg.Span);
                Consume(frame);

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
                var step = ProcessLogin(state, req, keys, response);
                if (step.Status != LoginStatus.Success)
                {
                    await SendLoginResponseAsync(req, step.Status, false, 0, null, 0);
                    Log.Warning($"login from {Remote} ({(state.InitiatorName.Length > 0 ? state.InitiatorName : "unnamed")}) refused, status 0x{(ushort)step.Status:x4}: {step.FailureLog}");
                    return false;
                }

                ushort tsih = 0;
                IscsiSession? session = null;
                if (step.Transit && step.NextStage == FullFeatureStage)
                {
                    session = Server.CreateSession(state, this, req.CmdSN, out var replaced);
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
                            await Task.WhenAll(replaced).WaitAsync(Options.DrainTimeout + TimeSpan.FromSeconds(5), _cts.Token);
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
                    EnterFullFeature(session, state);
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!_cts.IsCancellationRequested)
        {
            Log.Warning($"login from {Remote}: not completed within {Options.LoginTimeout.TotalSeconds:0} s; closing");
            return false;
        }
    }

    /// <summary>Switches the connection to full feature phase: digests and our receive limit apply from
    /// the first PDU after the final login response (§13.1, §13.12).</summary>
    private void EnterFullFeature(IscsiSession session, LoginState state)
    {
        var p = session.Parameters;
        var limits = new TransferLimits(p, Options.MaxTransferBytes);
        _rxLimits = limits.Receive;
        Writer.EnterFullFeature(session, limits);
        Limits = limits;
        Cid = state.Cid;
        Session = session;
        Log.Info(session.IsDiscovery
            ? $"discovery session from {state.InitiatorName} at {Remote}"
            : $"login: {state.InitiatorName} (ISID 0x{state.Isid:x12}, TSIH {session.Tsih}) to {state.Target!.Name} tpg {state.Tpg!.Tag} from {Remote}"
              + $" [HeaderDigest={(p.HeaderDigest ? "CRC32C" : "None")}, DataDigest={(p.DataDigest ? "CRC32C" : "None")}, auth={state.AuthMethod ?? "None"}]");
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
        await Writer.SendAsync(h, data, StatSnUse.Advance);
    }
}

/// <summary>The fields of a Login Request (§11.12), copied out of the receive buffer.</summary>
internal readonly struct LoginRequestFields
{
    public LoginRequestFields(in LoginRequestPdu pdu)
    {
        Transit = pdu.Transit;
        Continue = pdu.Continue;
        CurrentStage = (int)pdu.CurrentStage;
        NextStage = (int)pdu.NextStage;
        VersionMax = pdu.VersionMax;
        VersionMin = pdu.VersionMin;
        Isid = pdu.Isid;
        Tsih = pdu.Tsih;
        Itt = pdu.InitiatorTaskTag;
        Cid = pdu.Cid;
        CmdSN = pdu.CmdSN;
        ExpStatSN = pdu.ExpStatSN;
    }

    public bool Transit { get; }
    public bool Continue { get; }
    public int CurrentStage { get; }
    public int NextStage { get; }
    public byte VersionMax { get; }
    public byte VersionMin { get; }
    public ulong Isid { get; }
    public ushort Tsih { get; }
    public uint Itt { get; }
    public ushort Cid { get; }
    public uint CmdSN { get; }
    public uint ExpStatSN { get; }
}
