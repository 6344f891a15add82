using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharpSan.Protocol;

/// <summary>Outcome of one step of the CHAP exchange.</summary>
public enum ChapStep
{
    /// <summary>More keys are expected from the initiator.</summary>
    Continue,
    /// <summary>The initiator (and, with mutual CHAP, the target) is authenticated.</summary>
    Authenticated,
    /// <summary>Authentication failed: answer Login status 0x0201 (RFC 7143 §11.13.5).</summary>
    Failed,
}

/// <summary>
/// Target side of CHAP in the security negotiation stage (RFC 7143 §12.1.3): the initiator sends
/// CHAP_A; we choose an algorithm and send CHAP_A, CHAP_I, CHAP_C; the initiator answers CHAP_N and
/// CHAP_R, and for mutual CHAP also CHAP_I and CHAP_C, which we answer with our CHAP_N and CHAP_R.
/// Failure reasons are for logs and never contain secrets.
/// </summary>
public sealed class ChapTargetExchange
{
    private static readonly ChapAlgorithm[] Preference = { ChapAlgorithm.Sha3_256, ChapAlgorithm.Sha256, ChapAlgorithm.Sha1, ChapAlgorithm.Md5 };

    private readonly IReadOnlyList<ChapCredentials> _accepted;
    private ChapAlgorithm _algorithm;
    private byte _identifier;
    private byte[] _challenge = Array.Empty<byte>();
    private bool _challengeSent;

    public ChapTargetExchange(ChapCredentials credentials) => _accepted = [credentials];

    /// <summary>An exchange that accepts any one of several accounts (tgt binds several incoming
    /// users to a target); the initiator's CHAP_N picks the one its response is checked against.</summary>
    public ChapTargetExchange(IReadOnlyList<ChapCredentials> accepted)
    {
        if (accepted.Count == 0) throw new ArgumentException("no CHAP credentials", nameof(accepted));
        _accepted = accepted;
    }

    /// <summary>Why the exchange failed, for the log.</summary>
    public string FailureReason { get; private set; } = "";

    /// <summary>The algorithm chosen, once CHAP_A was answered.</summary>
    public ChapAlgorithm Algorithm => _algorithm;

    /// <summary>Handles the CHAP_* keys of one login request and appends our answers.</summary>
    public ChapStep Process(IReadOnlyList<KeyValuePair<string, string>> keys, List<KeyValuePair<string, string>> response)
    {
        string? a = null, n = null, r = null, i = null, c = null;
        foreach (var (k, v) in keys)
        {
            switch (k)
            {
                case "CHAP_A": a = v; break;
                case "CHAP_N": n = v; break;
                case "CHAP_R": r = v; break;
                case "CHAP_I": i = v; break;
                case "CHAP_C": c = v; break;
            }
        }

        if (!_challengeSent)
        {
            if (a is null) return Fail("CHAP_A expected");
            // The initiator lists algorithms in its preference order; RFC 1994 leaves the choice to the
            // authenticator. We take the first offered one we support, as LIO does.
            ChapAlgorithm? chosen = null;
            foreach (var part in a.Split(',', StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    && Array.IndexOf(Preference, (ChapAlgorithm)id) >= 0 && Chap.IsSupported((ChapAlgorithm)id))
                {
                    chosen = (ChapAlgorithm)id;
                    break;
                }
            }
            if (chosen is null)
            {
                response.Add(new("CHAP_A", "Reject"));
                return Fail($"no supported CHAP algorithm in CHAP_A={a}");
            }
            _algorithm = chosen.Value;
            _identifier = (byte)RandomNumberGenerator.GetInt32(256);
            _challenge = RandomNumberGenerator.GetBytes(Math.Max(16, Chap.DigestLength(_algorithm)));
            _challengeSent = true;
            response.Add(new("CHAP_A", ((int)_algorithm).ToString(CultureInfo.InvariantCulture)));
            response.Add(new("CHAP_I", _identifier.ToString(CultureInfo.InvariantCulture)));
            response.Add(new("CHAP_C", Chap.EncodeHex(_challenge)));
            return ChapStep.Continue;
        }

        if (n is null || r is null) return Fail("CHAP_N and CHAP_R expected");
        ChapCredentials? credentials = null;
        foreach (var candidate in _accepted)
        {
            if (string.Equals(n, candidate.UserId, StringComparison.Ordinal))
            {
                credentials = candidate;
                break;
            }
        }
        if (credentials is null)
            return Fail($"unknown CHAP name \"{n}\"");
        if (!Chap.TryDecodeBinary(r, out var theirResponse))
            return Fail("CHAP_R is not a binary value");
        var expected = Chap.ComputeResponse(_algorithm, _identifier, Encoding.UTF8.GetBytes(credentials.Secret), _challenge);
        if (!CryptographicOperations.FixedTimeEquals(expected, theirResponse))
            return Fail($"wrong CHAP response for user \"{n}\"");

        if (c is null && i is null) return ChapStep.Authenticated;

        // Mutual CHAP: the initiator authenticates us.
        if (c is null || i is null) return Fail("mutual CHAP needs both CHAP_I and CHAP_C");
        if (!credentials.HasMutual) return Fail("initiator asked for mutual CHAP but no mutual credentials are set");
        if (!int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var theirId) || theirId > 255)
            return Fail("CHAP_I is not a number 0-255");
        if (!Chap.TryDecodeBinary(c, out var theirChallenge) || theirChallenge.Length == 0 || theirChallenge.Length > 1024)
            return Fail("CHAP_C is not a valid binary value");
        // RFC 7143 §12.1.3: a target MUST refuse a challenge equal to the one it sent (reflection attack).
        if (theirChallenge.AsSpan().SequenceEqual(_challenge))
            return Fail("initiator reflected our CHAP challenge");
        var ours = Chap.ComputeResponse(_algorithm, (byte)theirId, Encoding.UTF8.GetBytes(credentials.MutualSecret), theirChallenge);
        response.Add(new("CHAP_N", credentials.MutualUserId));
        response.Add(new("CHAP_R", Chap.EncodeHex(ours)));
        return ChapStep.Authenticated;
    }

    private ChapStep Fail(string reason)
    {
        FailureReason = reason;
        return ChapStep.Failed;
    }
}
