using System.Net;
using SharpSan.Backstores;
using SharpSan.Config;
using SharpSan.Protocol;
using SharpSan.Scsi;

namespace SharpSan.Target.Runtime;

/// <summary>
/// The live objects built from one <see cref="SanConfig"/>: opened backstores, their logical units,
/// targets, TPGs and ACLs. Built whole or not at all: if any backstore fails to open, the ones
/// already opened are closed and the error propagates (nothing starts half-configured).
/// </summary>
internal sealed class TargetRuntime : IAsyncDisposable
{
    public const string VendorId = "SHARPSAN";
    public const string ProductRevision = "1.0";

    private readonly Dictionary<string, LogicalUnit> _unitsByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IscsiTargetNode> _targets = new(StringComparer.Ordinal);

    private TargetRuntime(SanConfig config) => Config = config;

    public SanConfig Config { get; }
    public IReadOnlyDictionary<string, IscsiTargetNode> Targets => _targets;
    public IEnumerable<LogicalUnit> Units => _unitsByPath.Values;
    public ChapCredentials? DiscoveryChap { get; private set; }
    public bool DiscoveryAuthRequired { get; private set; }

    public static async Task<TargetRuntime> BuildAsync(SanConfig config)
    {
        var rt = new TargetRuntime(config);
        try
        {
            foreach (var so in config.StorageObjects)
            {
                var backstore = BackstoreFactory.Open(so.Plugin, so.Name, so.Dev, so.Size, so.BlockSize, so.WriteBack, so.Readonly);
                var product = so.Name.Length > 16 ? so.Name[..16] : so.Name;
                rt._unitsByPath[so.Path] = new LogicalUnit(backstore, new LogicalUnitIdentity(VendorId, product, ProductRevision, so.Wwn));
            }
            var d = config.DiscoveryAuth;
            rt.DiscoveryAuthRequired = d.Enable;
            if (d.UserId.Length > 0) rt.DiscoveryChap = new ChapCredentials(d.UserId, d.Password, d.MutualUserId, d.MutualPassword);

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
                        DemoChap = tc.ChapUserId.Length > 0
                            ? new ChapCredentials(tc.ChapUserId, tc.ChapPassword, tc.ChapMutualUserId, tc.ChapMutualPassword)
                            : null,
                    };
                    foreach (var (k, v) in tc.Parameters) tpg.Parameters[k] = v;
                    foreach (var p in tc.Portals)
                        tpg.Portals.Add(new IPEndPoint(IPAddress.Parse(p.IpAddress.Trim('[', ']')), p.Port));
                    foreach (var l in tc.Luns)
                    {
                        if (!rt._unitsByPath.TryGetValue(l.StorageObject, out var lu))
                            throw new InvalidOperationException($"LUN {l.Index} of {t.Wwn} tpg {tc.Tag}: no storage object {l.StorageObject}");
                        tpg.Luns[l.Index] = lu;
                    }
                    foreach (var a in tc.NodeAcls)
                    {
                        var chap = a.ChapUserId.Length > 0
                            ? new ChapCredentials(a.ChapUserId, a.ChapPassword, a.ChapMutualUserId, a.ChapMutualPassword)
                            : null;
                        var mapped = a.MappedLuns.Select(m => new MappedLun(m.Index, m.TpgLun, m.WriteProtect)).ToList();
                        tpg.Acls[a.NodeWwn] = new NodeAcl(a.NodeWwn, chap, mapped);
                    }
                    node.Tpgs.Add(tpg);
                }
                rt._targets[node.Name] = node;
            }
            return rt;
        }
        catch
        {
            await rt.DisposeAsync();
            throw;
        }
    }

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

    public async ValueTask DisposeAsync()
    {
        foreach (var lu in _unitsByPath.Values)
        {
            try
            {
                await lu.Backstore.FlushAsync(CancellationToken.None);
            }
            catch (IOException)
            {
                // Closing anyway; the flush failure was already as durable as it could be.
            }
            await lu.Backstore.DisposeAsync();
        }
        _unitsByPath.Clear();
    }
}
