using System.Globalization;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// Originator side of the operational stage (RFC 7143 §6.2, §13): builds our proposals, checks each
/// answer against the key's rule (the responder chooses, within what we offered), records the
/// target's declarations, and answers keys the target offers on its own.
/// </summary>
internal sealed class OperationalNegotiation
{
    private readonly Dictionary<string, string> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _results = new(StringComparer.Ordinal);
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);
    private readonly Negotiator _responder;
    private readonly bool _discovery;

    public OperationalNegotiation(InitiatorOptions o, bool discovery)
    {
        _discovery = discovery;
        string N(int v) => v.ToString(CultureInfo.InvariantCulture);
        string B(bool v) => v ? "Yes" : "No";
        _offers[NegotiationKeys.HeaderDigest] = o.HeaderDigest;
        _offers[NegotiationKeys.DataDigest] = o.DataDigest;
        if (!discovery)
        {
            _offers[NegotiationKeys.InitialR2T] = B(o.InitialR2T);
            _offers[NegotiationKeys.ImmediateData] = B(o.ImmediateData);
            _offers[NegotiationKeys.FirstBurstLength] = N(o.FirstBurstLength);
            _offers[NegotiationKeys.MaxBurstLength] = N(o.MaxBurstLength);
            _offers[NegotiationKeys.MaxOutstandingR2T] = N(o.MaxOutstandingR2T);
            _offers[NegotiationKeys.MaxConnections] = N(o.MaxConnections);
            _offers[NegotiationKeys.DataPDUInOrder] = "Yes";
            _offers[NegotiationKeys.DataSequenceInOrder] = "Yes";
        }
        _offers[NegotiationKeys.DefaultTime2Wait] = N(o.DefaultTime2Wait);
        _offers[NegotiationKeys.DefaultTime2Retain] = N(o.DefaultTime2Retain);
        _offers[NegotiationKeys.ErrorRecoveryLevel] = N(o.ErrorRecoveryLevel);
        OurMaxRecvDataSegmentLength = o.MaxRecvDataSegmentLength;
        _responder = new Negotiator(_offers) { DiscoverySession = discovery };
    }

    public int OurMaxRecvDataSegmentLength { get; }
    public IReadOnlyDictionary<string, string> Results => _results;

    /// <summary>Our first operational request: every proposal plus our MaxRecvDataSegmentLength declaration.</summary>
    public void AddProposals(List<KeyValuePair<string, string>> request)
    {
        foreach (var kv in _offers) request.Add(kv);
        request.Add(new(NegotiationKeys.MaxRecvDataSegmentLength, OurMaxRecvDataSegmentLength.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Processes the keys of one login response (any stage); appends answers to keys the target offered.</summary>
    public void ProcessResponse(IReadOnlyList<KeyValuePair<string, string>> keys, List<KeyValuePair<string, string>> answers)
    {
        var targetOffers = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in keys)
        {
            switch (key)
            {
                // Declarations of the target about itself (§13.6, §13.8, §13.9, §13.12).
                case NegotiationKeys.TargetAlias:
                case NegotiationKeys.TargetAddress:
                case NegotiationKeys.TargetPortalGroupTag:
                    _results[key] = value;
                    continue;
                case NegotiationKeys.MaxRecvDataSegmentLength:
                    if (!Negotiator.TryParseNumber(value, out var m) || m < 512 || m > 16777215)
                        throw Refuse($"the target declared MaxRecvDataSegmentLength={value}");
                    _results[key] = value;
                    continue;
                case NegotiationKeys.AuthMethod:
                    continue;
            }
            if (key.StartsWith("CHAP_", StringComparison.Ordinal)) continue;
            if (_offers.TryGetValue(key, out var ours) && _answered.Add(key))
            {
                Evaluate(key, ours, value);
                continue;
            }
            if (!_answered.Contains(key)) targetOffers.Add(new(key, value));
        }
        if (targetOffers.Count == 0) return;
        // Keys the target proposes itself: we answer as a responder, with the same key table.
        _responder.Respond(targetOffers, answers);
        foreach (var (k, v) in _responder.Results) _results[k] = v;
        foreach (var kv in targetOffers) _answered.Add(kv.Key);
    }

    /// <summary>Checks one answer to our offer (§6.2.2 result functions).</summary>
    private void Evaluate(string key, string ours, string answer)
    {
        // §6.2: Reject, NotUnderstood and Irrelevant leave the key at its default.
        if (answer is "Reject" or "NotUnderstood" or "Irrelevant") return;
        if (!NegotiationKeys.TryGet(key, out var def)) return;
        switch (def.Rule)
        {
            case NegotiationRule.List:
                if (Array.IndexOf(ours.Split(',', StringSplitOptions.TrimEntries), answer) < 0)
                    throw Refuse($"the target answered {key}={answer}, which is not among our offer {ours}");
                break;
            case NegotiationRule.Min:
            case NegotiationRule.Max:
            {
                if (!Negotiator.TryParseNumber(answer, out var theirs) || theirs < def.Min || theirs > def.Max)
                    throw Refuse($"the target answered {key}={answer}, outside {def.Min}..{def.Max}");
                Negotiator.TryParseNumber(ours, out var mine);
                if (def.Rule == NegotiationRule.Min ? theirs > mine : theirs < mine)
                    throw Refuse($"the target answered {key}={answer}, against the {def.Rule} rule for our {ours}");
                break;
            }
            case NegotiationRule.And:
            case NegotiationRule.Or:
                if (answer is not ("Yes" or "No")) throw Refuse($"the target answered {key}={answer}");
                // And: our No forces No; Or: our Yes forces Yes.
                if (def.Rule == NegotiationRule.And && ours == "No" && answer == "Yes"
                    || def.Rule == NegotiationRule.Or && ours == "Yes" && answer == "No")
                    throw Refuse($"the target answered {key}={answer}, against the {def.Rule} rule for our {ours}");
                break;
            default:
                break;
        }
        _results[key] = answer;
    }

    /// <summary>The parameters in force: our offers where the target did not answer are, per §6.2, not
    /// negotiated, so they keep the RFC defaults.</summary>
    public NegotiatedParameters Build() => NegotiatedParameters.From(_results, OurMaxRecvDataSegmentLength);

    private IscsiLoginException Refuse(string message) =>
        new(LoginStatus.InitiatorError, (_discovery ? "discovery login: " : "login: ") + message);
}
