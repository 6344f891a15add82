using SharpSan.Config;
using SharpSan.Scsi;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Daemon;

/// <summary>An opened storage object and the definition it was opened from.</summary>
internal sealed record UnitEntry(StorageObjectConfig Definition, LogicalUnit Unit);

/// <summary>A change a kept unit takes once the new configuration is in service: its settings, and for a
/// cd the medium to load (null: eject) when it changed. <see cref="Medium"/> is opened beforehand, so
/// committing cannot fail.</summary>
internal sealed record LiveChange(LogicalUnit Unit, LogicalUnitIdentity Identity, LogicalUnitSettings Settings, bool ChangesMedium, IBackstore? Medium)
{
    /// <summary>The unit's target port groups and port memberships to take (SPC-4 5.15).</summary>
    public AluaPlan? Alua { get; init; }
}

/// <summary>
/// The logical units of one configuration: one per storage object, keyed by its path
/// ("/backstores/fileio/disk1"), and tgt's controller at LUN 0 of each tgt target that has one. Built
/// anew for every configuration change, reusing the units of the previous set whose backstore did not
/// change, so their data, reservations and unit attentions carry on across the change; what changed on
/// such a unit (tgt's device settings, a cd's medium) is applied live by <see cref="CommitAsync"/>.
/// </summary>
internal sealed class LogicalUnitSet
{
    private readonly Dictionary<string, UnitEntry> _units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Tid, LogicalUnit Unit)> _controllers = new(StringComparer.Ordinal);
    private readonly List<LiveChange> _pending = new();

    private LogicalUnitSet() { }

    public IReadOnlyDictionary<string, UnitEntry> Units => _units;

    /// <summary>The units of the storage objects (tgt's controllers are not copy targets).</summary>
    public IEnumerable<LogicalUnit> Disks => _units.Values.Select(u => u.Unit);

    /// <summary>The controller LUN of the tgt target <paramref name="targetWwn"/>, or null.</summary>
    public LogicalUnit? Controller(string targetWwn) => _controllers.TryGetValue(targetWwn, out var c) ? c.Unit : null;

    /// <summary>
    /// Opens every storage object of <paramref name="config"/>, taking the unit of
    /// <paramref name="previous"/> where the backstore is unchanged (and, for a cd whose image changed,
    /// opening the new image now). On failure every backstore opened here is closed again and the
    /// exception propagates; <paramref name="previous"/> is untouched either way, and so are its units
    /// until <see cref="CommitAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A cd's medium would be taken out while an initiator
    /// prevents its removal (PREVENT ALLOW MEDIUM REMOVAL), as tgt refuses it.</exception>
    /// <param name="stateDirectory">Where a new disk unit keeps its APTPL persistent reservations
    /// (pr/aptpl_&lt;wwn&gt;, restored here); null: APTPL is not offered.</param>
    public static async Task<LogicalUnitSet> OpenAsync(SanConfig config, LogicalUnitSet? previous, string? stateDirectory = null)
    {
        var set = new LogicalUnitSet();
        var opened = new List<LogicalUnit>();
        var alua = AluaDefinition.Plans(config);
        try
        {
            foreach (var so in config.StorageObjects)
            {
                if (previous is not null && previous._units.TryGetValue(so.Path, out var old) && DeviceDefinition.SameBackstore(old.Definition, so))
                {
                    DeviceDefinition.CheckSupported(so);
                    set._units[so.Path] = new UnitEntry(Copy(so), old.Unit);
                    set._pending.Add(Change(old, so) with { Alua = AluaDefinition.Merge(old.Unit, old.Definition, so, alua[so.Path]) });
                    continue;
                }
                var unit = DeviceDefinition.Open(so);
                opened.Add(unit);
                if (stateDirectory is not null && unit.DeviceType == PeripheralDeviceType.DirectAccessBlock && so.Wwn.Length > 0)
                    unit.AttachPersistentReservationStore(AptplFileStore.For(stateDirectory, so.Wwn));
                unit.Alua.Configure(alua[so.Path].Groups, alua[so.Path].Ports);
                set._units[so.Path] = new UnitEntry(Copy(so), unit);
            }
            foreach (var target in config.Targets)
            {
                if (target.Tgt is not { ControllerLun: true } tgt)
                    continue;
                var unit = previous is not null && previous._controllers.TryGetValue(target.Wwn, out var c) && c.Tid == tgt.Tid
                    ? c.Unit
                    : TgtController.Open(tgt.Tid);
                set._controllers[target.Wwn] = (tgt.Tid, unit);
            }
            return set;
        }
        catch
        {
            foreach (var unit in opened) await CloseUnitAsync(unit);
            await set.DisposePendingMediaAsync();
            throw;
        }
    }

    /// <summary>What <paramref name="next"/> changes on the live unit of <paramref name="old"/>. Only the
    /// settings the administrator changed are applied: a state an initiator set (D_SENSE by MODE SELECT)
    /// is kept when the configuration did not touch that setting.</summary>
    private static LiveChange Change(UnitEntry old, StorageObjectConfig next)
    {
        var identity = DeviceDefinition.Identity(next);
        var settings = DeviceDefinition.Changed(old.Unit.Settings, DeviceDefinition.Settings(old.Definition), DeviceDefinition.Settings(next));
        // Refused now, while the change can still be turned down, rather than when it is committed.
        LogicalBlockProvisioning.Resolve(settings.Provisioning, old.Unit.Backstore);
        if (!DeviceDefinition.MediumChanged(old.Definition, next))
            return new LiveChange(old.Unit, identity, settings, false, null);
        if (old.Unit.MediumPresent && old.Unit.MediumRemovalPrevented)
            throw new InvalidOperationException($"storage object {next.Path}: an initiator prevents medium removal (PREVENT ALLOW MEDIUM REMOVAL); the medium stays in");
        return new LiveChange(old.Unit, identity, settings, true, next.Device.MediumPresent ? DeviceDefinition.OpenMedium(next) : null);
    }

    /// <summary>
    /// Applies the live changes to the kept units, once the configuration they belong to is in service:
    /// new settings, then the cd media changes (the old images are closed when their reads are done).
    /// </summary>
    public async Task CommitAsync()
    {
        foreach (var change in _pending)
        {
            change.Unit.Reconfigure(change.Identity, change.Settings);
            if (change.Alua is { } alua)
                change.Unit.Alua.Configure(alua.Groups, alua.Ports);
            if (change.ChangesMedium)
            {
                Log.Info($"cd {change.Unit.Backstore.Plugin}/{change.Unit.Backstore.Name}: {(change.Medium is null ? "medium ejected" : "medium loaded")}");
                await change.Unit.ChangeMediumAsync(change.Medium);
            }
        }
        _pending.Clear();
    }

    /// <summary>
    /// Flushes and closes the units of this set that <paramref name="other"/> does not hold: after a
    /// change, the old set's units the new one dropped; after a failed change, the units the new set
    /// opened itself, and the media it opened for changes it will not make.
    /// </summary>
    public async Task CloseUnitsNotInAsync(LogicalUnitSet other)
    {
        var kept = new HashSet<LogicalUnit>(other._units.Values.Select(u => u.Unit));
        foreach (var entry in _units.Values)
            if (!kept.Contains(entry.Unit)) await CloseUnitAsync(entry.Unit);
        await DisposePendingMediaAsync();
    }

    /// <summary>Closes every unit (daemon shutdown).</summary>
    public async Task CloseAllAsync()
    {
        foreach (var entry in _units.Values) await CloseUnitAsync(entry.Unit);
        await DisposePendingMediaAsync();
    }

    /// <summary>Flushes and closes a unit's backstore; a flush failure is reported, not thrown.</summary>
    public static async Task CloseUnitAsync(LogicalUnit unit)
    {
        try
        {
            await unit.Backstore.FlushAsync(CancellationToken.None);
        }
        catch (IOException ex)
        {
            Log.Error($"flush of backstore {unit.Backstore.Name} on close failed: {ex.Message}");
        }
        await unit.Backstore.DisposeAsync();
    }

    private async Task DisposePendingMediaAsync()
    {
        foreach (var change in _pending)
            if (change.Medium is not null) await change.Medium.DisposeAsync();
        _pending.Clear();
    }

    /// <summary>A private copy of the definition (attributes included: they hold the provisioning
    /// settings; the ALUA groups too): the caller's tree may be edited after it is applied.</summary>
    private static StorageObjectConfig Copy(StorageObjectConfig so)
    {
        var copy = new StorageObjectConfig
        {
            Plugin = so.Plugin,
            Name = so.Name,
            Dev = so.Dev,
            Size = so.Size,
            WriteBack = so.WriteBack,
            Wwn = so.Wwn,
            BlockSize = so.BlockSize,
            Readonly = so.Readonly,
            NullIo = so.NullIo,
            Device = so.Device.Clone(),
        };
        foreach (var (key, value) in so.ExtraAttributes)
            copy.ExtraAttributes[key] = value?.DeepClone();
        copy.AluaGroups.AddRange(so.AluaGroups.Select(g => g.Clone()));
        return copy;
    }
}
