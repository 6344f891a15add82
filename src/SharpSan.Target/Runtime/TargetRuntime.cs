using System.Net;
using SharpSan.Backstores;
using SharpSan.Config;
using SharpSan.Protocol;
using SharpSan.Scsi;

namespace SharpSan.Target.Runtime;

/// <summary>An opened storage object and the definition it was opened from.</summary>
internal sealed record UnitEntry(StorageObjectConfig Definition, LogicalUnit Unit);

/// <summary>
/// The live objects built from one <see cref="SanConfig"/>: opened backstores, their logical units,
/// targets, TPGs and ACLs. Immutable once built; a configuration change builds a new runtime that
/// reuses the logical units whose storage object did not change (their data, reservations and unit
/// attentions carry on), and the server swaps it in.
/// </summary>
internal sealed class TargetRuntime
{
    public const string VendorId = "SHARPSAN";
    public const string ProductRevision = "1.0";

    private readonly Dictionary<string, UnitEntry> _units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IscsiTargetNode> _targets = new(StringComparer.Ordinal);

    private TargetRuntime(SanConfig config) => Config = config;

    public SanConfig Config { get; }
    public IReadOnlyDictionary<string, IscsiTargetNode> Targets => _targets;
    public IReadOnlyDictionary<string, UnitEntry> Units => _units;
    public ChapCredentials? DiscoveryChap { get; private set; }
    public bool DiscoveryAuthRequired { get; private set; }

    /// <summary>
    /// Builds the runtime for <paramref name="config"/>, taking logical units from
    /// <paramref name="previous"/> where the storage object's definition is unchanged and opening the
    /// others. On failure every backstore opened here is closed again and the exception propagates:
    /// nothing starts half-configured, and the previous runtime is untouched.
    /// </summary>
    public static async Task<TargetRuntime> BuildAsync(SanConfig config, TargetRuntime? previous = null)
    {
        var rt = new TargetRuntime(config);
        var opened = new List<LogicalUnit>();
        try
        {
            foreach (var so in config.StorageObjects)
            {
                if (previous is not null && previous._units.TryGetValue(so.Path, out var old) && SameDefinition(old.Definition, so))
                {
                    rt._units[so.Path] = new UnitEntry(Copy(so), old.Unit);
                    continue;
                }
                var backstore = BackstoreFactory.Open(so.Plugin, so.Name, so.Dev, so.Size, so.BlockSize, so.WriteBack, so.Readonly);
                var product = so.Name.Length > 16 ? so.Name[..16] : so.Name;
                var unit = new LogicalUnit(backstore, new LogicalUnitIdentity(VendorId, product, ProductRevision, so.Wwn));
                opened.Add(unit);
                rt._units[so.Path] = new UnitEntry(Copy(so), unit);
            }
            rt.BuildTargets(config);
            return rt;
        }
        catch
        {
            foreach (var unit in opened) await CloseUnitAsync(unit);
            throw;
        }
    }

    private void BuildTargets(SanConfig config)
    {
        var d = config.DiscoveryAuth;
        DiscoveryAuthRequired = d.Enable;
        if (d.UserId.Length > 0) DiscoveryChap = new ChapCredentials(d.UserId, d.Password, d.MutualUserId, d.MutualPassword);

        foreach (var t in config.Targets)
        {
            var node = new IscsiTargetNode(t.Wwn);
            foreach (var tc in t.Tpgs)
            {
                var tpg = new TargetPortalGroup(node, tc.Tag)
                {
                    Enabled = tc.Enable,
                    AuthenticationRequired = tc.Authentication,
                    GenerateNodeAcls = tc.GenerateNodeAcls,
                    DemoModeWriteProtect = tc.DemoModeWriteProtect,
                    CommandWindow = IntAttribute(tc.ExtraAttributes, "default_cmdsn_depth", 0, 1, 512),
                    ProdModeWriteProtect = IntAttribute(tc.ExtraAttributes, "prod_mode_write_protect", 0, 0, 1) == 1,
                    DemoModeDiscovery = IntAttribute(tc.ExtraAttributes, "demo_mode_discovery", 1, 0, 1) == 1,
                    DemoChap = tc.ChapUserId.Length > 0
                        ? new ChapCredentials(tc.ChapUserId, tc.ChapPassword, tc.ChapMutualUserId, tc.ChapMutualPassword)
                        : null,
                };
                foreach (var (k, v) in tc.Parameters) tpg.Parameters[k] = v;
                foreach (var p in tc.Portals)
                    tpg.Portals.Add(new IPEndPoint(IPAddress.Parse(p.IpAddress.Trim('[', ']')), p.Port));
                foreach (var l in tc.Luns)
                {
                    if (!_units.TryGetValue(l.StorageObject, out var entry))
                        throw new InvalidOperationException($"LUN {l.Index} of {t.Wwn} tpg {tc.Tag}: no storage object {l.StorageObject}");
                    tpg.Luns[l.Index] = entry.Unit;
                }
                foreach (var a in tc.NodeAcls)
                {
                    var chap = a.ChapUserId.Length > 0
                        ? new ChapCredentials(a.ChapUserId, a.ChapPassword, a.ChapMutualUserId, a.ChapMutualPassword)
                        : null;
                    var mapped = a.MappedLuns.Select(m => new MappedLun(m.Index, m.TpgLun, m.WriteProtect)).ToList();
                    int nopin = IntAttribute(a.ExtraAttributes, "nopin_timeout", 0, 1, 3600);
                    int nopinResponse = IntAttribute(a.ExtraAttributes, "nopin_response_timeout", 0, 1, 3600);
                    tpg.Acls[a.NodeWwn] = new NodeAcl(a.NodeWwn, chap, mapped)
                    {
                        NopInInterval = nopin > 0 ? TimeSpan.FromSeconds(nopin) : null,
                        NopInTimeout = nopinResponse > 0 ? TimeSpan.FromSeconds(nopinResponse) : null,
                    };
                }
                node.Tpgs.Add(tpg);
            }
            _targets[node.Name] = node;
        }
    }

    /// <summary>An integer LIO attribute kept among a node's attributes, when present and in range.</summary>
    private static int IntAttribute(Dictionary<string, System.Text.Json.Nodes.JsonNode?> attributes, string name, int fallback, int min, int max)
    {
        if (attributes.TryGetValue(name, out var node) && node is System.Text.Json.Nodes.JsonValue v
            && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), out var n) && n >= min && n <= max)
            return (int)n;
        return fallback;
    }

    /// <summary>True when a storage object can keep its opened backstore across a configuration change.</summary>
    private static bool SameDefinition(StorageObjectConfig a, StorageObjectConfig b) =>
        a.Plugin == b.Plugin && a.Name == b.Name && a.Dev == b.Dev && a.Size == b.Size && a.BlockSize == b.BlockSize
        && a.WriteBack == b.WriteBack && a.Readonly == b.Readonly && a.Wwn == b.Wwn;

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

    /// <summary>Every distinct portal of every enabled TPG: what the daemon listens on.</summary>
    public IReadOnlyList<IPEndPoint> ListenEndpoints()
    {
        var set = new HashSet<IPEndPoint>();
        foreach (var t in _targets.Values)
            foreach (var tpg in t.Tpgs)
                if (tpg.Enabled)
                    foreach (var p in tpg.Portals) set.Add(p);
        return set.ToList();
    }

    /// <summary>Units of this runtime that <paramref name="next"/> does not keep.</summary>
    public List<LogicalUnit> UnitsDroppedBy(TargetRuntime next)
    {
        var kept = new HashSet<LogicalUnit>(next._units.Values.Select(u => u.Unit));
        return _units.Values.Select(u => u.Unit).Where(u => !kept.Contains(u)).ToList();
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
            Diagnostics.Log.Error($"flush of backstore {unit.Backstore.Name} on close failed: {ex.Message}");
        }
        await unit.Backstore.DisposeAsync();
    }

    /// <summary>Closes every backstore (daemon shutdown).</summary>
    public async Task CloseAllAsync()
    {
        foreach (var entry in _units.Values) await CloseUnitAsync(entry.Unit);
    }
}
