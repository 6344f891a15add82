namespace SharpSan.Protocol;

/// <summary>
/// CHAP names and secrets (RFC 7143 §12.1.3) for both directions, one type for both sides: the
/// target checks the initiator's CHAP_N/secret and, in mutual CHAP, answers as MutualUserId with
/// MutualSecret; the initiator presents UserId/Secret and asks for mutual CHAP when it has a
/// MutualSecret (an empty MutualUserId accepting any name). <see cref="ToString"/> never shows secrets.
/// </summary>
public sealed class ChapCredentials
{
    public ChapCredentials(string userId, string secret, string mutualUserId = "", string mutualSecret = "")
    {
        UserId = userId;
        Secret = secret;
        MutualUserId = mutualUserId;
        MutualSecret = mutualSecret;
    }

    /// <summary>The name the initiator must present (CHAP_N).</summary>
    public string UserId { get; }
    /// <summary>The secret the initiator proves it knows.</summary>
    public string Secret { get; }
    /// <summary>The name the target presents in mutual CHAP.</summary>
    public string MutualUserId { get; }
    /// <summary>The secret the target proves it knows in mutual CHAP.</summary>
    public string MutualSecret { get; }

    /// <summary>Mutual CHAP is configured: there is a secret the target proves it knows. (The
    /// configuration layer only accepts a mutual secret together with a mutual name.)</summary>
    public bool HasMutual => MutualSecret.Length > 0;

    public override string ToString() => $"CHAP user {UserId}{(HasMutual ? $", mutual user {MutualUserId}" : "")}";
}
