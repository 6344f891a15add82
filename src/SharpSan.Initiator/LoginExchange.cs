using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>What a finished login established.</summary>
internal sealed record LoginOutcome(ushort Tsih, uint ExpStatSN, uint ExpCmdSN, uint MaxCmdSN, NegotiatedParameters Parameters);

/// <summary>A login answered with a redirect (status class 1, RFC 7143 §11.13.5, §13.8).</summary>
internal sealed class LoginRedirectException : Exception
{
    public LoginRedirectException(LoginStatus status, string address) : base($"target moved to {address}")
    {
        Status = status;
        Address = address;
    }

    public LoginStatus Status { get; }
    public string Address { get; }
}

/// <summary>
/// The initiator's login state machine over one connection (RFC 7143 §6.3, §11.12, §11.13): security
/// stage (AuthMethod, CHAP), operational stage (our proposals), transit to full feature phase.
/// </summary>
internal static class LoginExchange
{
    private const int SecurityStage = 0, OperationalStage = 1, FullFeaturePhase = 3;
    private const int MaxRounds = 16;

    /// <summary>Runs a whole login; <c>targetName</c> null means a discovery session.</summary>
    public static async Task<LoginOutcome> RunAsync(InitiatorConnection conn, InitiatorOptions o, string? targetName,
        ushort tsih, uint cmdSN, CancellationToken ct)
    {
        bool discovery = targetName is null;
        var negotiation = new OperationalNegotiation(o, discovery);
        var chap = o.Chap is { } c ? new ChapInitiatorExchange(c, o.ChapAlgorithms) : null;
        const uint itt = 0;
        uint expStatSN = 0;
        bool firstResponse = true;

        int stage = SecurityStage;
        var request = new List<KeyValuePair<string, string>>
        {
            new(NegotiationKeys.InitiatorName, o.InitiatorName),
        };
        if (o.InitiatorAlias.Length > 0) request.Add(new(NegotiationKeys.InitiatorAlias, o.InitiatorAlias));
        request.Add(new(NegotiationKeys.SessionType, discovery ? "Discovery" : "Normal"));
        if (!discovery) request.Add(new(NegotiationKeys.TargetName, targetName!));
        // §12.1: offer CHAP (falling back to None) only when we have credentials.
        request.Add(new(NegotiationKeys.AuthMethod, chap is null ? "None" : "CHAP,None"));
        bool transit = chap is null;
        int nextStage = OperationalStage;
        bool operationalOffered = false;

        for (int round = 0; round < MaxRounds; round++)
        {
            await SendLoginAsync(conn, o.Isid, tsih, itt, cmdSN, expStatSN, stage, transit, nextStage, request, ct);
            var rsp = await conn.ReceiveAsync(ct);
            if (rsp.Opcode != Opcode.LoginResponse)
                throw new IscsiLoginException(LoginStatus.TargetError, $"expected a Login Response, got {rsp.Opcode}");
            var login = LoginResponsePdu.Decode(rsp.Header);
            var status = login.Status;
            var keyList = TextKeyValues.Parse(rsp.Data);
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in keyList) keys[k] = v;
            if (status != LoginStatus.Success)
            {
                if (((ushort)status >> 8) == 1 && keys.TryGetValue(NegotiationKeys.TargetAddress, out var address))
                    throw new LoginRedirectException(status, address);
                throw new IscsiLoginException(status, $"the target refused the login{(discovery ? " (discovery)" : $" to {targetName}")}: {Describe(status)}");
            }
            // §11.13: StatSN of the first response starts the numbering; later responses advance it.
            expStatSN = login.Sequence.StatSN + 1;
            if (firstResponse && !discovery && !keys.ContainsKey(NegotiationKeys.TargetPortalGroupTag))
                throw new IscsiLoginException(LoginStatus.InitiatorError, "the target's first Login Response lacks TargetPortalGroupTag (RFC 7143 §13.9)");
            firstResponse = false;
            if (login.Continue)
                throw new IscsiLoginException(LoginStatus.InitiatorError, "login response continuation (C bit) is not supported");

            var answers = new List<KeyValuePair<string, string>>();
            negotiation.ProcessResponse(keyList, answers);
            bool targetTransit = login.Transit;
            int targetCsg = (int)login.CurrentStage, targetNsg = (int)login.NextStage;
            request = answers;

            if (stage == SecurityStage)
            {
                if (keys.TryGetValue(NegotiationKeys.AuthMethod, out var method))
                {
                    if (method == "CHAP" && chap is not null)
                    {
                        request.Add(new("CHAP_A", o.ChapAlgorithms));
                        transit = false;
                        continue;
                    }
                    if (method != "None")
                        throw new IscsiLoginException(LoginStatus.AuthenticationFailure, $"the target chose AuthMethod={method}");
                    if (o.Chap is { HasMutual: true })
                        throw new IscsiLoginException(LoginStatus.AuthenticationFailure, "mutual CHAP configured but the target chose AuthMethod=None");
                    chap = null;
                }
                if (chap is not null && keys.ContainsKey("CHAP_C"))
                {
                    chap.AnswerChallenge(keys, request);
                    transit = true;
                    nextStage = OperationalStage;
                    continue;
                }
                if (chap is not null && keys.ContainsKey("CHAP_R")) chap.VerifyTarget(keys);
                if (!(targetTransit && targetCsg == SecurityStage))
                {
                    // The target stays in the security stage: ask again to move on.
                    transit = true;
                    continue;
                }
                if (chap is not null && (!chap.ResponseSent || !chap.TargetAuthenticated))
                    throw new IscsiLoginException(LoginStatus.AuthenticationFailure, "the target ended the security stage before CHAP completed");
                if (targetNsg == FullFeaturePhase)
                    return Finish(rsp, negotiation, expStatSN);
                stage = OperationalStage;
            }
            else if (targetTransit && targetNsg == FullFeaturePhase)
            {
                return Finish(rsp, negotiation, expStatSN);
            }

            // Operational stage: our proposals once, then answers to what the target offered.
            if (!operationalOffered)
            {
                negotiation.AddProposals(request);
                operationalOffered = true;
            }
            transit = true;
            nextStage = FullFeaturePhase;
        }
        throw new IscsiLoginException(LoginStatus.InitiatorError, $"login did not finish within {MaxRounds} exchanges");
    }

    private static LoginOutcome Finish(ReceivedPdu rsp, OperationalNegotiation negotiation, uint expStatSN)
    {
        var login = LoginResponsePdu.Decode(rsp.Header);
        if (login.Tsih == 0)
            throw new IscsiLoginException(LoginStatus.InitiatorError, "the final Login Response carries TSIH 0");
        return new LoginOutcome(login.Tsih, expStatSN, login.Sequence.ExpCmdSN, login.Sequence.MaxCmdSN, negotiation.Build());
    }

    private static async Task SendLoginAsync(InitiatorConnection conn, ulong isid, ushort tsih, uint itt, uint cmdSN, uint expStatSN,
        int stage, bool transit, int nextStage, List<KeyValuePair<string, string>> keys, CancellationToken ct)
    {
        var header = new byte[Bhs.Length];
        var data = TextKeyValues.Encode(keys);
        // §11.12: login requests are immediate (Encode sets I); Version-max and Version-min are 0.
        new LoginRequestPdu
        {
            Transit = transit,
            CurrentStage = (LoginStage)stage,
            NextStage = transit ? (LoginStage)nextStage : 0, // NSG is reserved without T
            Isid = isid,
            Tsih = tsih,
            InitiatorTaskTag = itt,
            Cid = 0,
            Sequence = new(cmdSN, expStatSN),
        }.Encode(header, data.Length);
        await conn.SendAsync(header, data, ct);
    }

    /// <summary>Status-Class/Detail in words (§11.13.5).</summary>
    public static string Describe(LoginStatus status) => status switch
    {
        LoginStatus.AuthenticationFailure => "authentication failure",
        LoginStatus.AuthorizationFailure => "authorization failure",
        LoginStatus.NotFound => "target not found",
        LoginStatus.TargetRemoved => "target removed",
        LoginStatus.UnsupportedVersion => "unsupported version",
        LoginStatus.TooManyConnections => "too many connections",
        LoginStatus.MissingParameter => "missing parameter",
        LoginStatus.CantIncludeInSession => "cannot include in session",
        LoginStatus.SessionTypeNotSupported => "session type not supported",
        LoginStatus.SessionDoesNotExist => "session does not exist",
        LoginStatus.InvalidDuringLogin => "invalid request during login",
        LoginStatus.InitiatorError => "initiator error",
        LoginStatus.TargetError => "target error",
        LoginStatus.ServiceUnavailable => "service unavailable",
        LoginStatus.OutOfResources => "out of resources",
        _ => $"status 0x{(ushort)status:x4}",
    };
}
