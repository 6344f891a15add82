namespace SharpSan.Initiator;

/// <summary>CHAP credentials of the initiator (RFC 7143 §12.1.3). <see cref="ToString"/> hides secrets.</summary>
public sealed class ChapOptions
{
    public ChapOptions(string userName, string secret, string mutualUserName = "", string mutualSecret = "")
    {
        UserName = userName;
        Secret = secret;
        MutualUserName = mutualUserName;
        MutualSecret = mutualSecret;
    }

    /// <summary>Our CHAP_N.</summary>
    public string UserName { get; }
    /// <summary>The secret we prove we know.</summary>
    public string Secret { get; }
    /// <summary>The name the target must present in mutual CHAP (empty accepts any name).</summary>
    public string MutualUserName { get; }
    /// <summary>The secret the target must prove it knows; set it to ask for mutual CHAP.</summary>
    public string MutualSecret { get; }
    /// <summary>CHAP_A offer in preference order: "7,5" (SHA-256, MD5) or "5".</summary>
    public string Algorithms { get; set; } = "7,5";

    public bool IsMutual => MutualSecret.Length > 0;

    public override string ToString() => $"CHAP user {UserName}{(IsMutual ? ", mutual" : "")}";
}
