using SharpSan.Backstores;
using SharpSan.Config;
using SharpSan.Scsi;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Daemon;

/// <summary>An opened storage object and the definition it was opened from.</summary>
internal sealed record UnitEntry(StorageObjectConfig Definition, LogicalUnit Unit);

/// <summary>
/// The logical units of one configuration: one per storage object, keyed by its path
/// ("/backstores/fileio/disk1"). Built anew for every configuration change, reusing the units of the
/// previous set whose definition did not change, so their data, reservations and unit attentions
/// carry on across the change.
/// </summary>
internal sealed class LogicalUnitSet
{
    /// <summary>Our T10 vendor identification (SPC-4 6.6.2): 8 ASCII characters.</summary>
    public const string VendorId = "SHARPSAN";
    public const string ProductRevision = "1.0";

    private readonly Dictionary<string, UnitEntry> _units = new(StringComparer.Ordinal);

    private LogicalUnitSet() { }

    public IReadOnlyDictionary<string, UnitEntry> Units => _units;

    /// <summary>
    /// Opens every storage object of <paramref name="config"/>, taking the unit of
    /// <paramref name="previous"/> where the definition is unchanged. On failure every backstore
    /// opened here is closed again and the exception propagates; <paramref name="previous"/> is
    /// untouched either way.
    /// </summary>
    public static async Task<LogicalUnitSet> OpenAsync(SanConfig config, LogicalUnitSet? previous)
    {
        var set = new LogicalUnitSet();
        var opened = new List<LogicalUnit>();
        try
        {
            foreach (var so in config.StorageObjects)
            {
                if (previous is not null && previous._units.TryGetValue(so.Path, out var old) && SameDefinition(old.Definition, so))
                {
                    set._units[so.Path] = new UnitEntry(Copy(so), old.Unit);
                    continue;
                }
                var backstore = BackstoreFactory.Open(so.Plugin, so.Name, so.Dev, so.Size, so.BlockSize, so.WriteBack, so.Readonly);
                // The INQUIRY product identification is 16 ASCII characters (SPC-4 6.6.2).
                var product = so.Name.Length > 16 ? so.Name[..16] : so.Name;
                var unit = new LogicalUnit(backstore, new LogicalUnitIdentity(VendorId, product, ProductRevision, so.Wwn));
                opened.Add(unit);
                set._units[so.Path] = new UnitEntry(Copy(so), unit);
            }
            return set;
        }
        catch
        {
            foreach (var unit in opened) await CloseUnitAsync(unit);
            throw;
        }
    }

    /// <summary>
    /// Flushes and closes the units of this set that <paramref name="other"/> does not hold: after a
    /// change, the old set's units the new one dropped; after a failed change, the units the new set
    /// opened itself.
    /// </summary>
    public async Task CloseUnitsNotInAsync(LogicalUnitSet other)
    {
        var kept = new HashSet<LogicalUnit>(other._units.Values.Select(u => u.Unit));
        foreach (var entry in _units.Values)
            if (!kept.Contains(entry.Unit)) await CloseUnitAsync(entry.Unit);
    }

    /// <summary>Closes every unit (daemon shutdown).</summary>
    public async Task CloseAllAsync()
    {
        foreach (var entry in _units.Values) await CloseUnitAsync(entry.Unit);
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

    /// <summary>True when a storage object can keep its opened backstore across a configuration change.</summary>
    private static bool SameDefinition(StorageObjectConfig a, StorageObjectConfig b) =>
        a.Plugin == b.Plugin && a.Name == b.Name && a.Dev == b.Dev && a.Size == b.Size && a.BlockSize == b.BlockSize
        && a.WriteBack == b.WriteBack && a.Readonly == b.Readonly && a.Wwn == b.Wwn;

    /// <summary>A private copy of the definition: the caller's tree may be edited after it is applied.</summary>
    private static StorageObjectConfig Copy(StorageObjectConfig so) => new()
    {
        Plugin = so.Plugin,
        Name = so.Name,
        Dev = so.Dev,
        Size = so.Size,
        WriteBack = so.WriteBack,
        Wwn = so.Wwn,
        BlockSize = so.BlockSize,
        Readonly = so.Readonly,
    };
}
