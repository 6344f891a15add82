namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// The logical units one copy manager can reach: every unit a daemon serves. The set is replaced as a
/// whole when the configuration changes (<see cref="Publish"/>); copies read an immutable snapshot
/// without a lock.
/// </summary>
public sealed class CopyTargetRegistry : ICopyTargets
{
    private volatile LogicalUnit[] _units = [];

    /// <summary>Makes <paramref name="units"/> the reachable set and this registry their copy targets.</summary>
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
}
