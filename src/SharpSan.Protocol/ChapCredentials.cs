namespace SharpSan.Protocol;

/// <summary>CHAP names and secrets for one direction pair. <see cref="ToString"/> never shows secrets.</summary>
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

    public bool HasMutual => MutualUserId.Length > 0 && MutualSecret.Length > 0;

    public override string ToString() => $"CHAP user {UserId}{(HasMutual ? $", mutual user {MutualUserId}" : "")}";
}
