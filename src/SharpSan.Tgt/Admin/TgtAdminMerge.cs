using SharpSan.Config;

namespace SharpSan.Tgt.Admin;

/// <summary>
/// What a tgt-admin run sends the daemon: its working tree, except that every target it rebuilt
/// exactly as it was (same definition, LUNs and storage objects) is the daemon's own object again,
/// in its place. tgt-admin deletes and re-creates the targets it updates; sharpsand applies only the
/// difference, so a reload leaves unchanged targets, their units and their sessions alone.
/// </summary>
internal static class TgtAdminMerge
{
    public static SanConfig Merge(SanConfig original, SanConfig working)
    {
        foreach (var before in original.Targets.Where(t => t.Tgt is not null))
        {
            var i = working.Targets.FindIndex(t => t.Tgt is not null && t.Wwn == before.Wwn);
            if (i < 0 || Canonical(working, working.Targets[i]) != Canonical(original, before)) continue;
            working.Targets[i] = before;
            foreach (var so in StorageObjects(original, before))
            {
                var j = working.StorageObjects.FindIndex(s => s.Path == so.Path);
                if (j >= 0) working.StorageObjects[j] = so;
            }
        }
        // Keep the daemon's order: targets and storage objects it had stay where they were.
        working.Targets.Sort((a, b) => Order(original.Targets, a).CompareTo(Order(original.Targets, b)));
        var objects = working.StorageObjects.OrderBy(s => Order(original.StorageObjects, s)).ToList();
        working.StorageObjects.Clear();
        working.StorageObjects.AddRange(objects);
        return working;
    }

    /// <summary>True when the two trees say the same (saveconfig.json text).</summary>
    public static bool Same(SanConfig a, SanConfig b) => SaveConfigWriter.Serialize(a) == SaveConfigWriter.Serialize(b);

    /// <summary>A target with its storage objects, as saveconfig.json text.</summary>
    private static string Canonical(SanConfig tree, TargetConfig target)
    {
        var alone = new SanConfig();
        alone.StorageObjects.AddRange(StorageObjects(tree, target).OrderBy(s => s.Path, StringComparer.Ordinal));
        alone.Targets.Add(target);
        return SaveConfigWriter.Serialize(alone);
    }

    private static IEnumerable<StorageObjectConfig> StorageObjects(SanConfig tree, TargetConfig target)
    {
        var paths = target.Tpgs.SelectMany(t => t.Luns).Select(l => l.StorageObject).ToHashSet(StringComparer.Ordinal);
        return tree.StorageObjects.Where(s => paths.Contains(s.Path));
    }

    private static int Order(List<TargetConfig> list, TargetConfig t)
    {
        var i = list.FindIndex(x => x.Wwn == t.Wwn);
        return i < 0 ? int.MaxValue : i;
    }

    private static int Order(List<StorageObjectConfig> list, StorageObjectConfig s)
    {
        var i = list.FindIndex(x => x.Path == s.Path);
        return i < 0 ? int.MaxValue : i;
    }
}
