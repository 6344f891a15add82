namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// The logical units one copy manager can reach: every unit a daemon serves. The set is replaced as a
/// whole when the configuration changes (<see cref="Publish"/>); lookups read an immutable snapshot
/// without a lock. A lookup walks the units — it runs once per CSCD descriptor of an EXTENDED COPY,
/// never per I/O.
/// </summary>
public sealed class CopyTargetRegistry : ICopyTargetResolver
{
    private volatile LogicalUnit[] _units = [];

    /// <summary>Makes <paramref name="units"/> the reachable set and this registry their resolver.</summary>
    public void Publish(IEnumerable<LogicalUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        LogicalUnit[] snapshot = units.Distinct().ToArray();
        foreach (LogicalUnit unit in snapshot)
        {
            unit.CopyTargets = this;
        }

        _units = snapshot;
    }

    /// <summary>The units reachable now.</summary>
    public IReadOnlyList<LogicalUnit> Units => _units;

    public LogicalUnit? Resolve(byte designatorType, ReadOnlySpan<byte> designator)
    {
        foreach (LogicalUnit unit in _units)
        {
            if (CopyTargetIdentity.Matches(unit, designatorType, designator))
            {
                return unit;
            }
        }

        return null;
    }
}
