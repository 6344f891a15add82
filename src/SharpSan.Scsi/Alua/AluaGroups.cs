namespace SharpSan.Scsi;

/// <summary>
/// Asymmetric logical unit access (SPC-4 5.15) of one logical unit: its target port groups and which
/// group each target port it is exported through belongs to. The daemon (which knows every port the
/// storage object is exported through) sets the groups and memberships with <see cref="Configure"/>;
/// SET TARGET PORT GROUPS changes states explicitly. Every change of what REPORT TARGET PORT GROUPS
/// would report raises ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h) for the other I_T nexuses.
/// The per-command check reads one volatile flag while every group is active.
/// </summary>
public sealed class AluaGroups
{
    private readonly LogicalUnit _unit;
    private readonly object _lock = new();
    private volatile View _view;
    private volatile bool _restricted;
    private volatile bool _delayed;

    internal AluaGroups(LogicalUnit unit)
    {
        _unit = unit;
        var group = new TargetPortGroup(TargetPortGroupSettings.Default, AsymmetricAccessState.ActiveOptimized, AluaStatus.None);
        _view = new View([group], new Dictionary<ushort, TargetPortGroup>(), group);
    }

    /// <summary>True while some group is in a state that refuses commands: only then does a command's
    /// port need looking up (SPC-4 5.15.2.4).</summary>
    internal bool Restricted => _restricted;

    /// <summary>True while some active/non-optimized group delays its commands (LIO's nonop_delay_msecs).</summary>
    internal bool Delayed => _delayed;

    /// <summary>How long a command through <paramref name="nexus"/>' port waits before it runs: LIO's
    /// nonop_delay_msecs when the port's group is active/non-optimized (core_alua_state_nonoptimized
    /// and core_alua_check_nonop_delay), which makes a path the target does not prefer slower, as it
    /// would be on an array whose other controller owns the unit; 0 otherwise.</summary>
    internal int AccessDelayMs(ItNexus nexus)
    {
        TargetPortGroup group = GroupOf(nexus.RelativeTargetPortId);
        return group.State == AsymmetricAccessState.ActiveNonOptimized ? group.Settings.NonOptimizedDelayMs : 0;
    }

    /// <summary>Every group, in their defined order, with its current state and status.</summary>
    public IReadOnlyList<TargetPortGroupSettings> Current
    {
        get
        {
            View view = _view;
            var list = new TargetPortGroupSettings[view.Groups.Length];
            for (int i = 0; i < list.Length; i++)
            {
                TargetPortGroup g = view.Groups[i];
                list[i] = g.Settings with { State = g.State, Status = g.Status };
            }

            return list;
        }
    }

    /// <summary>The name of the group <paramref name="relativeTargetPortId"/> belongs to.</summary>
    public string GroupNameOf(ushort relativeTargetPortId) => GroupOf(relativeTargetPortId).Settings.Name;

    /// <summary>
    /// Replaces the groups and the port memberships (the administrator's implicit ALUA). A group missing
    /// from <paramref name="groups"/> but named "default_tg_pt_gp" is added with LIO's defaults; a port
    /// whose group is unknown belongs to the default group. A group that changes state passes through
    /// Transitioning for its transition delay (as LIO's configfs state changes do).
    /// </summary>
    /// <exception cref="ArgumentException">Two groups share a name or an id, or a state is not one this
    /// device server supports (LBA dependent) or the group does not.</exception>
    public void Configure(IEnumerable<TargetPortGroupSettings> groups, IReadOnlyDictionary<ushort, string> portGroups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(portGroups);
        var defined = groups.ToList();
        if (!defined.Any(g => g.Name == TargetPortGroupSettings.DefaultName))
        {
            defined.Insert(0, TargetPortGroupSettings.Default);
        }

        Validate(defined);
        var delayed = new List<(TargetPortGroup Group, AsymmetricAccessState Target, AluaStatus Status, int Generation)>();
        lock (_lock)
        {
            View old = _view;
            var built = new TargetPortGroup[defined.Count];
            for (int i = 0; i < defined.Count; i++)
            {
                TargetPortGroupSettings s = defined[i];
                TargetPortGroup? previous = Array.Find(old.Groups, g => g.Settings.Name == s.Name);
                bool moves = previous is not null && previous.State != s.State && s.TransitionDelayMs > 0 &&
                    s.SupportsState(AsymmetricAccessState.Transitioning);
                var group = new TargetPortGroup(s, moves ? AsymmetricAccessState.Transitioning : s.State, s.Status)
                {
                    Generation = (previous?.Generation ?? 0) + 1,
                };
                if (moves)
                {
                    delayed.Add((group, s.State, s.Status, group.Generation));
                }

                built[i] = group;
            }

            TargetPortGroup fallback = Array.Find(built, g => g.Settings.Name == TargetPortGroupSettings.DefaultName)!;
            var byPort = new Dictionary<ushort, TargetPortGroup>();
            foreach ((ushort port, string name) in portGroups)
            {
                byPort[port] = Array.Find(built, g => g.Settings.Name == name) ?? fallback;
            }

            foreach (TargetPortGroup group in built)
            {
                group.Ports = byPort.Where(p => ReferenceEquals(p.Value, group)).Select(p => p.Key).Order().ToArray();
            }

            var view = new View(built, byPort, fallback);
            _view = view;
            Recompute();
            if (StatesChanged(old, view))
            {
                _unit.EstablishUnitAttention(null, UnitAttentionCodes.UaAsymmetricAccessStateChanged);
            }
        }

        foreach (var (group, target, status, generation) in delayed)
        {
            _ = FinishTransitionAsync(group, target, status, generation, null);
        }
    }

    /// <summary>The group of the port a command came through.</summary>
    internal TargetPortGroup GroupOf(ushort relativeTargetPortId)
    {
        View view = _view;
        return view.ByPort.TryGetValue(relativeTargetPortId, out TargetPortGroup? group) ? group : view.Default;
    }

    /// <summary>Every group with member ports, in their defined order (what REPORT TARGET PORT GROUPS
    /// lists); when no port is known (a unit no daemon configured), the default group with the addressed port.</summary>
    internal TargetPortGroup[] ReportedGroups => _view.Groups;

    /// <summary>The group with TARGET PORT GROUP <paramref name="id"/>, or null.</summary>
    internal TargetPortGroup? FindById(ushort id) => Array.Find(_view.Groups, g => g.Id == id);

    /// <summary>
    /// SET TARGET PORT GROUPS from <paramref name="requester"/> (SPC-4 6.38): moves each group to its
    /// state, through Transitioning for the group's transition delay, and returns when every group is
    /// there. Unit attentions go to every other I_T nexus (SPC-4 5.15.2.2).
    /// </summary>
    internal async ValueTask SetStatesAsync(IReadOnlyList<(TargetPortGroup Group, AsymmetricAccessState State)> changes, ItNexus requester)
    {
        var pending = new List<Task>();
        lock (_lock)
        {
            bool changed = false;
            foreach (var (group, state) in changes)
            {
                int generation = ++group.Generation;
                group.Status = AluaStatus.AlteredByExplicitStpg;
                if (group.State == state)
                {
                    continue;
                }

                changed = true;
                int delay = group.Settings.TransitionDelayMs;
                if (delay > 0 && group.Settings.SupportsState(AsymmetricAccessState.Transitioning))
                {
                    group.State = AsymmetricAccessState.Transitioning;
                    pending.Add(FinishTransitionAsync(group, state, AluaStatus.AlteredByExplicitStpg, generation, requester));
                }
                else
                {
                    group.State = state;
                }
            }

            Recompute();
            if (changed)
            {
                _unit.EstablishUnitAttention(requester, UnitAttentionCodes.UaAsymmetricAccessStateChanged);
            }
        }

        foreach (Task task in pending)
        {
            await task.ConfigureAwait(false);
        }
    }

    /// <summary>Ends a transition after the group's delay, unless a newer change came meanwhile.</summary>
    private async Task FinishTransitionAsync(TargetPortGroup group, AsymmetricAccessState target, AluaStatus status, int generation, ItNexus? requester)
    {
        await Task.Delay(group.Settings.TransitionDelayMs).ConfigureAwait(false);
        lock (_lock)
        {
            if (group.Generation != generation || Array.IndexOf(_view.Groups, group) < 0)
            {
                return;
            }

            group.State = target;
            group.Status = status;
            Recompute();
            _unit.EstablishUnitAttention(requester, UnitAttentionCodes.UaAsymmetricAccessStateChanged);
        }
    }

    private void Recompute()
    {
        bool restricted = false;
        bool delayed = false;
        foreach (TargetPortGroup group in _view.Groups)
        {
            restricted |= !group.IsActive;
            delayed |= group.State == AsymmetricAccessState.ActiveNonOptimized && group.Settings.NonOptimizedDelayMs > 0;
        }

        _restricted = restricted;
        _delayed = delayed;
    }

    private static void Validate(List<TargetPortGroupSettings> groups)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<ushort>();
        foreach (TargetPortGroupSettings g in groups)
        {
            if (!names.Add(g.Name))
            {
                throw new ArgumentException($"ALUA group {g.Name} is defined twice", nameof(groups));
            }

            if (!ids.Add(g.Id))
            {
                throw new ArgumentException($"ALUA group {g.Name}: tg_pt_gp_id {g.Id} is already used", nameof(groups));
            }

            if (g.State is AsymmetricAccessState.LbaDependent || TargetPortGroupSettings.ToSupported(g.State) == SupportedAccessStates.None)
            {
                throw new ArgumentException($"ALUA group {g.Name}: access state {(int)g.State} is not supported", nameof(groups));
            }

            if (!g.SupportsState(g.State))
            {
                throw new ArgumentException($"ALUA group {g.Name}: access state {g.State} is not among its supported states", nameof(groups));
            }
        }
    }

    /// <summary>
    /// True when a reconfiguration changes the access of a port that was there before: a group kept
    /// (by name) changes state or PREF, or a port kept moves to a group of another id. A port that is
    /// only added or removed (a LUN mapped or unmapped) changes no existing path's state: its nexuses
    /// hear of it through REPORTED LUNS DATA HAS CHANGED instead, as with LIO.
    /// </summary>
    private static bool StatesChanged(View old, View next)
    {
        foreach (TargetPortGroup group in next.Groups)
        {
            TargetPortGroup? previous = Array.Find(old.Groups, g => g.Settings.Name == group.Settings.Name);
            if (previous is not null && (previous.State != group.State || previous.Settings.Preferred != group.Settings.Preferred))
            {
                return true;
            }
        }

        foreach ((ushort port, TargetPortGroup group) in next.ByPort)
        {
            TargetPortGroup before = old.ByPort.TryGetValue(port, out TargetPortGroup? g) ? g : old.Default;
            if ((old.ByPort.ContainsKey(port) || old.ByPort.Count == 0) && before.Id != group.Id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One consistent set of groups and memberships, swapped whole by <see cref="Configure"/>.</summary>
    private sealed record View(TargetPortGroup[] Groups, Dictionary<ushort, TargetPortGroup> ByPort, TargetPortGroup Default);
}
