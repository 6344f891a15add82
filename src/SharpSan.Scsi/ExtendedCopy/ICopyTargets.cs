namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// The logical units a copy manager can reach as copy targets besides its own (SPC-4 5.16.4): the daemon
/// gives every unit it serves one <see cref="CopyTargetRegistry"/>, so EXTENDED COPY runs between any of
/// its units inside the process, across targets, without a network round trip (as LIO reaches every
/// device with 3PC emulation). Which unit a CSCD descriptor names is decided by the engine, in one place.
/// </summary>
public interface ICopyTargets
{
    /// <summary>The reachable units now (a snapshot; a unit may be closed while a copy runs).</summary>
    IReadOnlyList<LogicalUnit> Units { get; }
}
