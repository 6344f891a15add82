namespace SharpSan.Tgt.Tests;

/// <summary>
/// Compares `tgtadm --op show` output with a seed's transcript line by line, leaving aside what the
/// issue lets differ (names, sizes, nexus numbers, and so the initiator, its address and the backing
/// store path) and what the seeds' older tgt releases did not print yet ("Prevent removal", "SWP",
/// "Thin-provisioning", an initiator's " alias: ..."), and trailing spaces a web page dropped.
/// </summary>
internal static class SeedTranscript
{
    public static string Load(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Transcripts", name));

    /// <summary>Null when <paramref name="ours"/> matches <paramref name="seed"/>, else what differs.</summary>
    public static string? Difference(string ours, string seed)
    {
        var seedLines = Split(seed);
        var newer = new[] { "Prevent removal:", "SWP:", "Thin-provisioning:" }.Where(k => !seedLines.Any(l => l.TrimStart().StartsWith(k, StringComparison.Ordinal))).ToList();
        var ourLines = Split(ours).Where(l => !newer.Any(k => l.TrimStart().StartsWith(k, StringComparison.Ordinal))).ToList();
        var report = new List<string>();
        for (var i = 0; i < Math.Max(ourLines.Count, seedLines.Count); i++)
        {
            var o = i < ourLines.Count ? Mask(ourLines[i]) : "<none>";
            var s = i < seedLines.Count ? Mask(seedLines[i]) : "<none>";
            if (o != s) report.Add($"line {i + 1}: ours \"{o}\", seed \"{s}\"");
        }
        return report.Count == 0 ? null : string.Join("\n", report) + $"\n--- ours\n{ours}";
    }

    private static List<string> Split(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static string Mask(string line)
    {
        var indent = line[..(line.Length - line.TrimStart().Length)];
        var text = line.TrimStart();
        if (text.StartsWith("Target ", StringComparison.Ordinal) && text.Contains(": "))
            return indent + text[..(text.IndexOf(": ", StringComparison.Ordinal) + 2)] + "NAME";
        if (text.StartsWith("Size: ", StringComparison.Ordinal))
            return indent + "Size: N MB" + text[text.IndexOf(',')..];
        if (text.StartsWith("Backing store path: ", StringComparison.Ordinal) && text != "Backing store path: None")
            return indent + "Backing store path: PATH";
        if (text.StartsWith("I_T nexus: ", StringComparison.Ordinal)) return indent + "I_T nexus: N";
        if (text.StartsWith("Initiator: ", StringComparison.Ordinal)) return indent + "Initiator: NAME";
        if (text.StartsWith("IP Address: ", StringComparison.Ordinal)) return indent + "IP Address: ADDRESS";
        return line;
    }
}
