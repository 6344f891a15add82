using System.Globalization;

namespace SharpSan.Protocol;

/// <summary>
/// Responder side of text negotiation (RFC 7143 §6.2): takes the peer's offers, applies each key's
/// rule from <see cref="NegotiationKeys"/> against our own values, records the outcomes and produces
/// the answers, in offer order. One instance per login (the negotiated values persist per session).
/// Security keys (AuthMethod, CHAP_*) are left to the login state machine.
/// </summary>
public sealed class Negotiator
{
    private readonly Dictionary<string, string> _local;
    private readonly Dictionary<string, string> _results = new(StringComparer.Ordinal);
    private readonly HashSet<string> _offered = new(StringComparer.Ordinal);

    /// <param name="local">Our values for the keys we care about (e.g. MaxBurstLength=1048576, HeaderDigest=CRC32C,None).</param>
    public Negotiator(IReadOnlyDictionary<string, string> local)
    {
        _local = new Dictionary<string, string>(local, StringComparer.Ordinal);
    }

    /// <summary>True in a discovery session: session-wide data-path keys are answered Irrelevant.</summary>
    public bool DiscoverySession { get; set; }

    /// <summary>
    /// The first key the peer offered a second time, if any. RFC 7143 §6.2: renegotiating or
    /// redeclaring a key during login MUST be detected; the target answers with an initiator error.
    /// </summary>
    public string? DuplicateKey { get; private set; }

    /// <summary>Outcomes so far (negotiated results and the peer's declarations).</summary>
    public IReadOnlyDictionary<string, string> Results => _results;

    public void SetLocal(string key, string value) => _local[key] = value;

    /// <summary>Answers the peer's <paramref name="offers"/>, appending to <paramref name="response"/>.
    /// Keys outside the table: "X-" and "X#" extensions and unknown names get NotUnderstood (§6.2).</summary>
    public void Respond(IEnumerable<KeyValuePair<string, string>> offers, List<KeyValuePair<string, string>> response)
    {
        foreach (var (key, value) in offers)
        {
            // §6.2: a reply of NotUnderstood/Irrelevant/Reject to one of our offers is not itself an offer.
            if (value is "NotUnderstood" or "Irrelevant" or "Reject") continue;
            if (!_offered.Add(key))
            {
                DuplicateKey ??= key;
                continue;
            }

            if (NegotiationKeys.IsObsoleteMarkerKey(key, out var markerAnswer))
            {
                response.Add(new(key, markerAnswer));
                continue;
            }
            if (!NegotiationKeys.TryGet(key, out var def) || key == NegotiationKeys.AuthMethod)
            {
                response.Add(new(key, "NotUnderstood"));
                continue;
            }
            if ((def.Use & KeyUse.TargetOnly) != 0)
            {
                // A key only a target may send, offered to the target: answer Reject? §6.2 says a
                // responder that is not allowed to use the offered key answers Reject.
                response.Add(new(key, "Reject"));
                continue;
            }
            if (DiscoverySession && (def.Use & KeyUse.NormalSessionOnly) != 0)
            {
                response.Add(new(key, "Irrelevant"));
                continue;
            }
            var answer = Evaluate(def, value);
            if (answer is null) continue; // declarative: nothing to answer
            response.Add(new(key, answer));
        }
    }

    /// <summary>Computes the answer for one offer and records the outcome. Returns null for declaratives.</summary>
    private string? Evaluate(KeyDefinition def, string offer)
    {
        _local.TryGetValue(def.Name, out var ours);
        ours ??= def.Default;
        switch (def.Rule)
        {
            case NegotiationRule.Declarative:
                if (def.Max > 0 && (!TryParseNumber(offer, out var d) || d < def.Min || d > def.Max))
                    return "Reject";
                if (def.Values is { } allowed && Array.IndexOf(allowed, offer) < 0)
                    return "Reject";
                _results[def.Name] = offer;
                return null;

            case NegotiationRule.List:
            {
                var supported = ours.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                foreach (var candidate in offer.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (Array.IndexOf(supported, candidate) >= 0)
                    {
                        _results[def.Name] = candidate;
                        return candidate;
                    }
                }
                return "Reject";
            }

            case NegotiationRule.Min:
            case NegotiationRule.Max:
            {
                if (!TryParseNumber(offer, out var theirs) || theirs < def.Min || theirs > def.Max)
                    return "Reject";
                if (!TryParseNumber(ours, out var mine)) mine = theirs;
                var result = def.Rule == NegotiationRule.Min ? Math.Min(mine, theirs) : Math.Max(mine, theirs);
                var text = result.ToString(CultureInfo.InvariantCulture);
                _results[def.Name] = text;
                return text;
            }

            case NegotiationRule.And:
            case NegotiationRule.Or:
            {
                if (offer is not ("Yes" or "No")) return "Reject";
                bool theirs = offer == "Yes", mine = ours == "Yes";
                bool result = def.Rule == NegotiationRule.And ? theirs && mine : theirs || mine;
                var text = result ? "Yes" : "No";
                _results[def.Name] = text;
                return text;
            }
        }
        return "Reject";
    }

    /// <summary>Numbers are decimal or 0x-prefixed hexadecimal (§6.1 "numerical-value").</summary>
    public static bool TryParseNumber(string s, out long value)
    {
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return long.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0;
        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
