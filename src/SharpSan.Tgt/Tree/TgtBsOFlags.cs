namespace SharpSan.Tgt.Tree;

/// <summary>tgt's backing store open flags (usr/util.c str_to_open_flags, open_flags_to_str).</summary>
internal static class TgtBsOFlags
{
    /// <summary>"sync", "direct" or both separated by ':' (any order), as tgt prints them ("sync:direct");
    /// "" for none; null for anything else (tgtd: invalid request).</summary>
    public static string? Parse(string? text)
    {
        if (text is null) return "";
        bool sync = false, direct = false;
        foreach (var raw in text.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.TrimStart(' ');
            // tgt compares the token's start ("sync", "direct") and rejects anything else.
            if (token.StartsWith("sync", StringComparison.Ordinal)) sync = true;
            else if (token.StartsWith("direct", StringComparison.Ordinal)) direct = true;
            else return null;
        }
        return Format(sync, direct);
    }

    public static string Format(bool sync, bool direct) => (sync, direct) switch
    {
        (true, true) => "sync:direct",
        (true, false) => "sync",
        (false, true) => "direct",
        _ => "",
    };
}
