namespace SharpSan.Scsi.Tests;

internal sealed class TestLunMap : ILunMap
{
    private readonly List<LunEntry> _entries = [];

    public TestLunMap Add(ulong lun, LogicalUnit unit, bool writeProtected = false)
    {
        _entries.Add(new LunEntry(lun, unit, writeProtected));
        _entries.Sort((a, b) => a.Lun.CompareTo(b.Lun));
        return this;
    }

    public IReadOnlyList<LunEntry> Entries => _entries;

    public bool TryGet(ulong lun, out LunEntry entry)
    {
        foreach (LunEntry candidate in _entries)
        {
            if (candidate.Lun == lun)
            {
                entry = candidate;
                return true;
            }
        }

        entry = default;
        return false;
    }
}
