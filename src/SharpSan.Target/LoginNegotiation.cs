using System.Globalization;
using System.Net;

namespace SharpSan.Target;

/// <summary>
/// The decisions of the login phase (RFC 7143 §6.3, §12, §13): which session the first request
/// opens (target, TPG, ACL, reinstatement), the security stage (AuthMethod, CHAP) and the operational
/// stage (the key table), and whether to transit. Works on keys and a <see cref="LoginState"/>; the
/// PDUs are <see cref="TargetLogin"/>'s business.
/// </summary>
internal sealed class LoginNegotiation
{
    public const int SecurityStage = 0;
    public const int OperationalStage = 1;
    public const int FullFeatureStage = 3;

    private readonly IscsiTargetServer _server;
    private readonly IPEndPoint _local;
    private readonly IPEndPoint _remote;

    public LoginNegotiation(IscsiTargetServer server, IPEndPoint local, IPEndPoint remote)
    {
        _server = server;
        _local = local;
        _remote = remote;
    }

    /// <summary>
    /// Processes one complete login request: identifies the session on the first PDU, runs the
    /// security stage (AuthMethod, CHAP) and the operational stage (the key table), and decides whether
    /// to transit. Appends the response keys. Never throws for bad input: returns a failure status.
    /// </summary>
    public LoginStep Process(LoginState state, LoginRequestFields req, List<KeyValuePair<string, string>> keys,
        List<KeyValuePair<string, string>> response)
    {
        if (!state.FirstSeen)
        {
            var first = ProcessFirstRequest(state, req, keys);
            if (first is { } fail) return fail;
            state.FirstSeen = true;
        }
        else if (req.Isid != state.Isid || req.Itt != state.Itt || req.Cid != state.Cid)
        {
            // §11.12.x: ISID, ITT and CID stay the same through one login.
            return LoginStep.Fail(LoginStatus.InitiatorError, "ISID, ITT or CID changed during login");
        }

        if (req.CurrentStage is not (SecurityStage or OperationalStage))
            return LoginStep.Fail(LoginStatus.InitiatorError, $"invalid current stage {req.CurrentStage}");
        if (req.Transit && (req.NextStage <= req.CurrentStage || req.NextStage == 2))
            return LoginStep.Fail(LoginStatus.InitiatorError, $"invalid stage transition {req.CurrentStage}->{req.NextStage}");

        // Keys the initiator declares about itself.
        foreach (var (k, v) in keys)
        {
            if (k == NegotiationKeys.InitiatorAlias) state.InitiatorAlias = v;
        }

        var security = new List<KeyValuePair<string, string>>();
        var other = new List<KeyValuePair<string, string>>();
        foreach (var kv in keys)
        {
            if (kv.Key == NegotiationKeys.AuthMethod || kv.Key.StartsWith("CHAP_", StringComparison.Ordinal)) security.Add(kv);
            else other.Add(kv);
        }

        if (!state.FirstResponseSent && !state.Discovery)
        {
            // §13.9: TargetPortalGroupTag MUST be in the first Login Response of a normal session.
            response.Add(new(NegotiationKeys.TargetPortalGroupTag, state.Tpg!.Tag.ToString(CultureInfo.InvariantCulture)));
            // LIO keeps TargetAlias among the TPG parameters.
            if (state.Tpg!.Parameters.TryGetValue(NegotiationKeys.TargetAlias, out var alias) && alias.Length > 0)
                response.Add(new(NegotiationKeys.TargetAlias, alias));
        }

        if (req.CurrentStage == SecurityStage)
        {
            var step = SecurityNegotiation(state, req, security, response);
            if (step.Status != LoginStatus.Success) return step;
            state.Negotiator.Respond(other, response);
            return DuplicateCheck(state) ?? step;
        }

        // Operational stage.
        if (state.AuthRequired && !state.Authenticated)
            return LoginStep.Fail(LoginStatus.AuthenticationFailure, "authentication required but the initiator skipped the security stage");
        if (security.Count > 0)
            return LoginStep.Fail(LoginStatus.InitiatorError, "security keys in the operational stage");
        state.Negotiator.Respond(other, response);
        if (DuplicateCheck(state) is { } duplicate) return duplicate;
        if (!state.OperationalDeclared)
        {
            // Declarative (§13.12): tell the initiator how much we accept per PDU.
            state.OperationalDeclared = true;
            if (!ContainsKey(response, NegotiationKeys.MaxRecvDataSegmentLength))
                response.Add(new(NegotiationKeys.MaxRecvDataSegmentLength, _server.OurMaxRecvDataSegmentLength(state.Tpg).ToString(CultureInfo.InvariantCulture)));
        }
        return new LoginStep(LoginStatus.Success, req.Transit, req.NextStage, null);
    }

    private static LoginStep? DuplicateCheck(LoginState state) =>
        state.Negotiator.DuplicateKey is { } key
            ? LoginStep.Fail(LoginStatus.InitiatorError, $"key {key} offered twice in one login (RFC 7143 §6.2)")
            : null;

    private static bool ContainsKey(List<KeyValuePair<string, string>> list, string key)
    {
        foreach (var kv in list)
            if (kv.Key == key) return true;
        return false;
    }

    /// <summary>First login request: version, session type, initiator and target names, TPG, ACL.</summary>
    private LoginStep? ProcessFirstRequest(LoginState state, LoginRequestFields req, List<KeyValuePair<string, string>> keys)
    {
        state.Isid = req.Isid;
        state.Itt = req.Itt;
        state.Cid = req.Cid;
        // §11.12.4: we speak version 0x00 only.
        if (req.VersionMin > 0)
            return LoginStep.Fail(LoginStatus.UnsupportedVersion, $"version-min {req.VersionMin} not supported");

        string? initiatorName = null, targetName = null, sessionType = null;
        foreach (var (k, v) in keys)
        {
            switch (k)
            {
                case NegotiationKeys.InitiatorName: initiatorName = v; break;
                case NegotiationKeys.TargetName: targetName = v; break;
                case NegotiationKeys.SessionType: sessionType = v; break;
            }
        }
        if (string.IsNullOrEmpty(initiatorName))
            return LoginStep.Fail(LoginStatus.MissingParameter, "no InitiatorName in the first login request");
        state.InitiatorName = initiatorName;
        sessionType ??= "Normal";
        if (sessionType is not ("Normal" or "Discovery"))
            return LoginStep.Fail(LoginStatus.SessionTypeNotSupported, $"SessionType={sessionType}");
        state.Discovery = sessionType == "Discovery";

        if (req.Tsih != 0)
        {
            var existing = _server.FindSession(req.Tsih);
            if (existing is null || existing.InitiatorName != initiatorName || existing.Isid != req.Isid || existing.IsDiscovery != state.Discovery)
                return LoginStep.Fail(LoginStatus.SessionDoesNotExist, $"login for session TSIH {req.Tsih}, which does not exist");
            // We negotiate MaxConnections=1: no connection can be added to an existing session.
            if (existing.Connection?.Cid != req.Cid)
                return LoginStep.Fail(LoginStatus.TooManyConnections, $"login to add connection CID {req.Cid} to session TSIH {req.Tsih}");
            // Connection reinstatement (§6.3.4): same ISID, TSIH and CID. The old connection closes and,
            // at ERL 0, its tasks are aborted; the session keeps its TSIH and command numbering.
            state.ReinstateTsih = req.Tsih;
        }

        if (state.Discovery)
        {
            state.AuthRequired = _server.Topology.DiscoveryAuthRequired;
            state.Credentials = One(_server.Topology.DiscoveryChap);
            state.Negotiator.DiscoverySession = true;
            if (state.AuthRequired && state.Credentials is null)
                return LoginStep.Fail(LoginStatus.AuthenticationFailure, "discovery authentication enabled without credentials");
            return null;
        }

        if (string.IsNullOrEmpty(targetName))
            return LoginStep.Fail(LoginStatus.MissingParameter, "no TargetName in a normal session login");
        // Unknown target, disabled TPG, or a portal the TPG does not serve: all answer 0x0201, so a
        // probing initiator learns nothing about which targets exist (LIO answers the same way for ACLs).
        if (!_server.Topology.Targets.TryGetValue(targetName, out var target))
            return LoginStep.Fail(LoginStatus.AuthenticationFailure, $"no target {targetName}");
        var tpg = target.Tpgs.FirstOrDefault(t => t.Enabled && t.ServesPortal(_local));
        if (tpg is null)
            return LoginStep.Fail(LoginStatus.AuthenticationFailure, $"target {targetName} has no enabled TPG on portal {_local}");
        state.Target = target;
        state.Tpg = tpg;
        if (tpg.Access is { } access)
        {
            // tgt (usr/iscsi/iscsid.c login_start): an offline target answers Target Error; an
            // initiator neither its address nor its name lets in answers Not Found.
            if (tpg.RefusesLogins)
                return LoginStep.Fail(LoginStatus.ServiceUnavailable, "the target system is offline");
            if (tpg.Offline)
                return LoginStep.Fail(LoginStatus.TargetError, $"target {targetName} is offline");
            if (!access.Allows(_remote.Address, initiatorName))
                return LoginStep.Fail(LoginStatus.NotFound, $"initiator {initiatorName} at {_remote.Address} is not allowed by the ACL of {targetName}");
            state.Acl = tpg.Acls.GetValueOrDefault(initiatorName);
            state.Credentials = tpg.ChapAccounts.Count > 0 ? tpg.ChapAccounts : null;
        }
        else if (tpg.Acls.TryGetValue(initiatorName, out var acl))
        {
            state.Acl = acl;
            state.Credentials = One(acl.Chap);
        }
        else if (tpg.GenerateNodeAcls)
        {
            state.Credentials = One(tpg.DemoChap);
        }
        else
        {
            return LoginStep.Fail(LoginStatus.AuthenticationFailure, $"initiator {initiatorName} is not in the ACL of {targetName} tpg {tpg.Tag}");
        }
        state.AuthRequired = tpg.AuthenticationRequired;
        if (state.AuthRequired && state.Credentials is null)
            return LoginStep.Fail(LoginStatus.AuthenticationFailure, $"CHAP required by {targetName} tpg {tpg.Tag} but no credentials are set for {initiatorName}");
        foreach (var (k, v) in _server.LocalNegotiationValues(tpg)) state.Negotiator.SetLocal(k, v);
        return null;
    }

    private static IReadOnlyList<ChapCredentials>? One(ChapCredentials? credentials) => credentials is null ? null : [credentials];

    /// <summary>Security stage (§6.3.1, §12.1): AuthMethod negotiation and the CHAP exchange.</summary>
    private LoginStep SecurityNegotiation(LoginState state, LoginRequestFields req, List<KeyValuePair<string, string>> keys,
        List<KeyValuePair<string, string>> response)
    {
        var chapKeys = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in keys)
        {
            if (k == NegotiationKeys.AuthMethod)
            {
                if (state.AuthMethod is not null)
                    return LoginStep.Fail(LoginStatus.InitiatorError, "AuthMethod offered twice");
                // Our list: CHAP when required; CHAP or None when credentials exist; otherwise None.
                string[] ours = state.AuthRequired ? new[] { "CHAP" }
                    : state.Credentials is not null ? new[] { "CHAP", "None" } : new[] { "None" };
                string? chosen = null;
                foreach (var candidate in v.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (Array.IndexOf(ours, candidate) >= 0)
                    {
                        chosen = candidate;
                        break;
                    }
                }
                if (chosen is null)
                {
                    return LoginStep.Fail(LoginStatus.AuthenticationFailure,
                        state.AuthRequired ? $"CHAP required, initiator offered AuthMethod={v}" : $"no acceptable AuthMethod in {v}");
                }
                state.AuthMethod = chosen;
                response.Add(new(NegotiationKeys.AuthMethod, chosen));
                if (chosen == "None") state.Authenticated = !state.AuthRequired;
                else state.Chap = new ChapTargetExchange(state.Credentials!);
            }
            else
            {
                chapKeys.Add(new(k, v));
            }
        }

        if (chapKeys.Count > 0)
        {
            if (state.Chap is null)
                return LoginStep.Fail(LoginStatus.InitiatorError, "CHAP keys without AuthMethod=CHAP");
            var result = state.Chap.Process(chapKeys, response);
            if (result == ChapStep.Failed)
                return LoginStep.Fail(LoginStatus.AuthenticationFailure, state.Chap.FailureReason);
            if (result == ChapStep.Authenticated) state.Authenticated = true;
        }

        if (!req.Transit) return new LoginStep(LoginStatus.Success, false, 0, null);
        if (state.AuthMethod is null && state.AuthRequired)
            return LoginStep.Fail(LoginStatus.AuthenticationFailure, "CHAP required but the initiator offered no AuthMethod");
        if (state.AuthMethod is null)
        {
            state.Authenticated = true; // no AuthMethod offered and none required: none is used
        }
        if (state.AuthMethod == "CHAP" && !state.Authenticated)
        {
            // The initiator wants to leave the security stage before CHAP finished: we stay (T=0)
            // while our challenge is pending (§6.3: the target may refuse to transit).
            return new LoginStep(LoginStatus.Success, false, 0, null);
        }
        return new LoginStep(LoginStatus.Success, true, req.NextStage, null);
    }
}
