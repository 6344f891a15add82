
namespace SharpSan.Target.Runtime;

/// <summary>An immutable LUN inventory for one session (from an ACL's mapped LUNs, or every TPG LUN
/// in demo mode).</summary>
internal sealed class LunMap : ILunMap
{
    private readonly LunEntry[] _entries;

    public LunMap(IEnumerable<LunEntry> entries)
    {
        _entries = entries.OrderBy(e => e.Lun).ToArray();
    }

    public IReadOnlyList<LunEntry> Entries => _entries;

    public bool TryGet(ulong lun, out LunEntry entry)
    {
        // Sessions map a handful of LUNs: a linear scan beats hashing and allocates nothing.
        foreach (var e in _entries)
        {
            if (e.Lun == lun)
            {
                entry = e;
                return true;
            }
        }
        entry = default;
        return false;
    }
}
