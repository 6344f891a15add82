using SharpSan.Scsi;

namespace SharpSan.Initiator;

/// <summary>
/// One path of a <see cref="MultipathDevice"/>: a <see cref="BlockDevice"/> on one I_T nexus, the
/// asymmetric access state of its target port group as REPORT TARGET PORT GROUPS last said, and
/// whether the path itself failed (its session could not carry a command).
/// </summary>
public sealed class MultipathPath
{
    internal MultipathPath(BlockDevice device) => Device = device;

    public BlockDevice Device { get; }

    /// <summary>The path's target port group state (ACTIVE/OPTIMIZED until the first report says otherwise
    /// for a logical unit without ALUA: every path of such a unit is equal).</summary>
    public AsymmetricAccessState State { get; internal set; } = AsymmetricAccessState.ActiveOptimized;

    /// <summary>PREF bit of the path's group (SPC-4 6.36): the target's preferred group among equals.</summary>
    public bool Preferred { get; internal set; }

    /// <summary>The session failed a command; the path is used again once a report through it succeeds.</summary>
    public bool Failed { get; internal set; }

    /// <summary>Commands the device sent through this path.</summary>
    public long Commands => Interlocked.Read(ref _commands);

    internal long _commands;

    /// <summary>The order paths are chosen in, lowest first, as dm-multipath's alua prioritizer ranks
    /// them: optimized, then non-optimized, then transitioning (usable once the transition ends); groups in
    /// standby, unavailable or offline take no READ or WRITE (SPC-4 5.15.2.4) and are not chosen.</summary>
    internal int Rank => Failed ? int.MaxValue : State switch
    {
        AsymmetricAccessState.ActiveOptimized => Preferred ? 0 : 1,
        AsymmetricAccessState.ActiveNonOptimized => Preferred ? 2 : 3,
        AsymmetricAccessState.LbaDependent => 4,
        _ => int.MaxValue,
    };

    public override string ToString() =>
        $"{Device.Session.ConnectedPortal} tpg {Device.Identification.TargetPortGroup?.ToString() ?? "-"} {State}{(Preferred ? " preferred" : "")}{(Failed ? " failed" : "")}";
}
