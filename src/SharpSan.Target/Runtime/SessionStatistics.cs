namespace SharpSan.Target.Runtime;

/// <summary>
/// The <see cref="LunStatistics"/> of one session, one per LUN it has addressed or sees. Sessions
/// address a handful of LUNs: a copy-on-write array scanned linearly costs nothing on the I/O path
/// and allocates only the first time a LUN is used.
/// </summary>
public sealed class SessionStatistics
{
    private LunStatistics[] _luns = [];
    private readonly Lock _grow = new();

    /// <summary>The counters of <paramref name="lun"/>, created on first use.</summary>
    public LunStatistics For(ulong lun)
    {
        foreach (var s in Volatile.Read(ref _luns))
            if (s.Lun == lun) return s;
        lock (_grow)
        {
            foreach (var s in _luns)
                if (s.Lun == lun) return s;
            var created = new LunStatistics(lun);
            var next = new LunStatistics[_luns.Length + 1];
            _luns.CopyTo(next, 0);
            next[^1] = created;
            Volatile.Write(ref _luns, next);
            return created;
        }
    }

    /// <summary>Every LUN's counters, ordered by LUN.</summary>
    public IReadOnlyList<LunStatistics> Snapshot() => Volatile.Read(ref _luns).OrderBy(s => s.Lun).ToArray();
}
