using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// Initiator side of CHAP in the security stage (RFC 7143 §12.1.3): offer CHAP_A, answer the target's
/// CHAP_I/CHAP_C with CHAP_N/CHAP_R, and for mutual CHAP send our own CHAP_I/CHAP_C and verify the
/// target's CHAP_R with the mutual secret. Failure messages never contain secrets.
/// </summary>
internal sealed class ChapInitiatorExchange
{
    private readonly ChapCredentials _options;
    private readonly string _algorithms;
    private ChapAlgorithm _algorithm;
    private byte _ourIdentifier;
    private byte[] _ourChallenge = Array.Empty<byte>();

    public ChapInitiatorExchange(ChapCredentials options, string algorithms)
    {
        _options = options;
        _algorithms = algorithms;
    }

    /// <summary>True once the target proved the mutual secret (or mutual CHAP was not asked for).</summary>
    public bool TargetAuthenticated { get; private set; }
    public bool ResponseSent { get; private set; }

    /// <summary>Answers the target's CHAP_A/CHAP_I/CHAP_C.</summary>
    public void AnswerChallenge(IReadOnlyDictionary<string, string> keys, List<KeyValuePair<string, string>> request)
    {
        if (!keys.TryGetValue("CHAP_A", out var a) || !int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var alg))
            throw Fail("the target sent no usable CHAP_A");
        var offered = _algorithms.Split(',', StringSplitOptions.TrimEntries);
        if (Array.IndexOf(offered, alg.ToString(CultureInfo.InvariantCulture)) < 0 || !Chap.IsSupported((ChapAlgorithm)alg))
            throw Fail($"the target chose CHAP_A={a}, which we did not offer");
        _algorithm = (ChapAlgorithm)alg;
        if (!keys.TryGetValue("CHAP_I", out var i) || !int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id > 255)
            throw Fail("the target sent no valid CHAP_I");
        if (!keys.TryGetValue("CHAP_C", out var c) || !Chap.TryDecodeBinary(c, out var challenge) || challenge.Length == 0)
            throw Fail("the target sent no valid CHAP_C");

        var response = Chap.ComputeResponse(_algorithm, (byte)id, Encoding.UTF8.GetBytes(_options.Secret), challenge);
        request.Add(new("CHAP_N", _options.UserId));
        request.Add(new("CHAP_R", Chap.EncodeHex(response)));
        ResponseSent = true;
        if (!_options.HasMutual)
        {
            TargetAuthenticated = true;
            return;
        }
        _ourIdentifier = (byte)RandomNumberGenerator.GetInt32(256);
        do
        {
            _ourChallenge = RandomNumberGenerator.GetBytes(Math.Max(16, Chap.DigestLength(_algorithm)));
        }
        while (_ourChallenge.AsSpan().SequenceEqual(challenge)); // §12.1.3: never reflect the target's challenge
        request.Add(new("CHAP_I", _ourIdentifier.ToString(CultureInfo.InvariantCulture)));
        request.Add(new("CHAP_C", Chap.EncodeHex(_ourChallenge)));
    }

    /// <summary>Mutual CHAP: checks the target's CHAP_N/CHAP_R. Throws on mismatch, so we refuse the target.</summary>
    public void VerifyTarget(IReadOnlyDictionary<string, string> keys)
    {
        if (!_options.HasMutual) return;
        if (!keys.TryGetValue("CHAP_N", out var n) || !keys.TryGetValue("CHAP_R", out var r))
            throw Fail("mutual CHAP asked for, but the target sent no CHAP_N/CHAP_R");
        if (_options.MutualUserId.Length > 0 && !string.Equals(n, _options.MutualUserId, StringComparison.Ordinal))
            throw Fail($"the target presented CHAP name \"{n}\", expected \"{_options.MutualUserId}\"");
        if (!Chap.TryDecodeBinary(r, out var theirs))
            throw Fail("the target's CHAP_R is not a binary value");
        var expected = Chap.ComputeResponse(_algorithm, _ourIdentifier, Encoding.UTF8.GetBytes(_options.MutualSecret), _ourChallenge);
        if (!CryptographicOperations.FixedTimeEquals(expected, theirs))
            throw Fail("the target failed mutual CHAP authentication (wrong mutual secret)");
        TargetAuthenticated = true;
    }

    private static IscsiLoginException Fail(string message) => new(LoginStatus.AuthenticationFailure, message);
}
