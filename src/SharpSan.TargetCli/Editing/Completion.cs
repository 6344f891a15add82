namespace SharpSan.TargetCli.Editing;

/// <summary>Candidates for the word that starts at <see cref="Start"/> and ends at the cursor. A
/// candidate ending in ' ' is complete; one ending in '/' or '=' expects more.</summary>
public sealed record Completion(int Start, IReadOnlyList<string> Candidates)
{
    public static readonly Completion None = new(0, []);

    /// <summary>The longest common prefix of the candidates (what one Tab inserts when several match).</summary>
    public string CommonPrefix()
    {
        if (Candidates.Count == 0)
            return "";
        var prefix = Candidates[0];
        foreach (var c in Candidates.Skip(1))
        {
            var n = 0;
            while (n < prefix.Length && n < c.Length && prefix[n] == c[n]) n++;
            prefix = prefix[..n];
        }
        return prefix;
    }
}
