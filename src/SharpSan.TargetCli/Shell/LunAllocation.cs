using SharpSan.Config;

namespace SharpSan.TargetCli.Shell;

/// <summary>How new LUNs and mapped LUNs get their numbers and aliases, as LIO and targetcli pick them.</summary>
internal static class LunAllocation
{
    /// <summary><paramref name="preferred"/> when it is free, else the lowest free number.</summary>
    public static ulong FirstFree(IEnumerable<ulong> taken, ulong preferred = 0)
    {
        var used = taken.ToHashSet();
        if (!used.Contains(preferred))
            return preferred;
        ulong index = 0;
        while (used.Contains(index))
            index++;
        return index;
    }

    /// <summary>Maps TPG LUN <paramref name="tpgLun"/> as <paramref name="mappedLun"/> in the ACL.</summary>
    public static void Map(NodeAclConfig acl, ulong mappedLun, ulong tpgLun, bool writeProtect)
        => acl.MappedLuns.Add(new MappedLunConfig { Index = mappedLun, TpgLun = tpgLun, WriteProtect = writeProtect, Alias = NewAlias() });

    /// <summary>LIO names a mapped LUN's configfs link with 10 random hex digits.</summary>
    private static string NewAlias() => Guid.NewGuid().ToString("N")[..10];
}
