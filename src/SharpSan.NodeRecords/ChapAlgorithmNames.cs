namespace SharpSan.NodeRecords;

/// <summary>The CHAP algorithms of node.session.auth.chap_algs, named as open-iscsi names them.</summary>
public static class ChapAlgorithmNames
{
    /// <summary>open-iscsi names CHAP algorithms (MD5, SHA1, SHA256, SHA3-256); CHAP_A wants numbers.
    /// An unknown name is passed on as it is.</summary>
    public static string ToChapA(string name) => name.ToUpperInvariant() switch
    {
        "MD5" => "5",
        "SHA1" => "6",
        "SHA256" => "7",
        "SHA3-256" => "8",
        _ => name,
    };
}
