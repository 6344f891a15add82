namespace SharpSan.Config;

/// <summary>
/// Turns IET's initiators.allow / initiators.deny / targets.allow into each target's
/// <see cref="TgtTargetConfig"/> rules. IET's decision (usr/plain.c plain_initiator_allow), with
/// "matched" meaning the decisive line of that file (<see cref="IetAccessFile.Decisive"/>) has an entry
/// for the initiator's address or name:
/// <list type="bullet">
/// <item>initiators.deny exists: refused when deny matches and allow does not, admitted otherwise;</item>
/// <item>no initiators.deny: admitted when there is no initiators.allow either, otherwise only when
/// allow matches (an allow file is then a whitelist; no line for the target admits nobody).</item>
/// </list>
/// <see cref="TgtTargetConfig.Admits"/> computes "allowed ∨ (deny rules ∧ ¬denied)", so the allow line's
/// entries become InitiatorAddresses/InitiatorNames and the deny line's DeniedAddresses/DeniedNames; a
/// deny line with ALL denies everyone the allow line does not admit, which needs no deny list.
/// </summary>
internal sealed class IetAccessMapper(IetAccessFile? allow, IetAccessFile? deny, IetAccessFile? targetsAllow)
{
    private readonly HashSet<IetAccessRule> _used = new();

    public void Apply(string target, TgtTargetConfig tgt)
    {
        CheckTargetsAllow(target);
        var allowRule = Use(allow?.Decisive(target));
        var denyRule = Use(deny?.Decisive(target));
        IReadOnlyList<IetAccessEntry> allowed, denied = [];
        if (deny is null)
            allowed = allow is null ? [new IetAccessEntry(IetAccessKind.All, "ALL")] : allowRule?.Entries ?? [];
        else if (denyRule is null || denyRule.Entries.Count == 0)
            allowed = [new IetAccessEntry(IetAccessKind.All, "ALL")]; // the deny file never matches this target
        else
        {
            allowed = allowRule?.Entries ?? [];
            if (!denyRule.HasAll) denied = denyRule.Entries;
        }
        if (allowed.Any(e => e.Kind == IetAccessKind.All))
        {
            allowed = [new IetAccessEntry(IetAccessKind.All, "ALL")];
            denied = [];
        }
        Fill(allowed, tgt.InitiatorAddresses, tgt.InitiatorNames);
        Fill(denied, tgt.DeniedAddresses, tgt.DeniedNames);
    }

    /// <summary>Notes for lines no target ever reads: a target not in ietd.conf, or a line after an ALL line.</summary>
    public IEnumerable<string> UnusedLines()
    {
        foreach (var file in new[] { allow, deny, targetsAllow })
        {
            if (file is null) continue;
            var all = file.Rules.FirstOrDefault(r => r.Target == "ALL");
            foreach (var rule in file.Rules)
            {
                if (_used.Contains(rule)) continue;
                var why = all is not null && all.Line < rule.Line
                    ? $"never read: the ALL line {all.Line} comes first and decides for every target"
                    : $"never read: no target {rule.Target} in the configuration";
                yield return $"{file.Source}:{rule.Line}: {why}";
            }
        }
    }

    /// <summary>
    /// targets.allow (IET 1.4.19+) limits the local addresses a target is reachable and discoverable on;
    /// without the file every target is reachable everywhere. Only "reachable everywhere" can be served
    /// here (a target listens on its portals), so anything narrower is refused rather than widened.
    /// </summary>
    private void CheckTargetsAllow(string target)
    {
        if (targetsAllow is null) return;
        var rule = Use(targetsAllow.Decisive(target));
        if (rule is null)
            throw IetError.In(targetsAllow.Source, $"no line for target {target} and no ALL line, so IET would hide it on every address; add \"ALL ALL\"");
        if (!rule.HasAll)
            throw IetError.At(targetsAllow.Source, rule.Line,
                $"limiting target {target} to some local addresses is not supported; serve it on one address with --portal and make this line ALL");
    }

    private IetAccessRule? Use(IetAccessRule? rule)
    {
        if (rule is not null) _used.Add(rule);
        return rule;
    }

    private static void Fill(IReadOnlyList<IetAccessEntry> entries, List<string> addresses, List<string> names)
    {
        foreach (var e in entries)
        {
            var list = e.Kind == IetAccessKind.Name ? names : addresses;
            if (!list.Contains(e.Value)) list.Add(e.Value);
        }
    }
}
