namespace SharpSan.Scsi;

/// <summary>
/// A target port group of a live logical unit: its definition, its current asymmetric access state and
/// status (which SET TARGET PORT GROUPS and the administrator change), and its member ports
/// (relative target port identifiers). State fields are volatile: commands read them without a lock;
/// <see cref="AluaGroups"/> changes them under its lock.
/// </summary>
internal sealed class TargetPortGroup
{
    private volatile AsymmetricAccessState _state;
    private volatile AluaStatus _status;

    public TargetPortGroup(TargetPortGroupSettings settings, AsymmetricAccessState state, AluaStatus status)
    {
        Settings = settings;
        _state = state;
        _status = status;
    }

    public TargetPortGroupSettings Settings { get; }

    public ushort Id => Settings.Id;

    public AsymmetricAccessState State
    {
        get => _state;
        set => _state = value;
    }

    public AluaStatus Status
    {
        get => _status;
        set => _status = value;
    }

    /// <summary>Incremented by each change of state, so a delayed end of transition that a newer change
    /// overtook does not apply.</summary>
    public int Generation;

    /// <summary>The member ports' relative target port identifiers, ascending.</summary>
    public ushort[] Ports { get; set; } = [];

    /// <summary>True when every command may run through this group's ports (SPC-4 5.15.2.4.2/3).</summary>
    public bool IsActive => _state is AsymmetricAccessState.ActiveOptimized or AsymmetricAccessState.ActiveNonOptimized;
}
