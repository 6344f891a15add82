using System.Globalization;
using SharpSan.Platform;

namespace SharpSan.NodeRecords;

/// <summary>
/// open-iscsi's record folders under a root (/etc/iscsi, or $SHARPSAN_ISCSI_ROOT):
/// nodes/IQN/IP,PORT,TPGT/IFACE (2.x layout; the 1.x "nodes/IQN/IP,PORT" file is read too),
/// send_targets/IP,PORT/st_config, initiatorname.iscsi. Record files are written atomically, 0600.
/// </summary>
public sealed class NodeDatabase
{
    public const string RootEnvironmentVariable = "SHARPSAN_ISCSI_ROOT";
    public const string DefaultRoot = "/etc/iscsi";

    public NodeDatabase(string root)
    {
        Root = root;
    }

    /// <summary>The database at $SHARPSAN_ISCSI_ROOT, or /etc/iscsi.</summary>
    public static NodeDatabase FromEnvironment()
    {
        var root = Environment.GetEnvironmentVariable(RootEnvironmentVariable);
        return new NodeDatabase(string.IsNullOrEmpty(root) ? DefaultRoot : root);
    }

    public string Root { get; }
    public string NodesFolder => Path.Combine(Root, "nodes");
    public string SendTargetsFolder => Path.Combine(Root, "send_targets");
    public string InitiatorNamePath => Path.Combine(Root, "initiatorname.iscsi");

    public string NodePath(NodeRecord r) => Path.Combine(NodesFolder, r.TargetName, r.PortalFolderName, r.IfaceName);

    public string SendTargetsPath(string address, int port) =>
        Path.Combine(SendTargetsFolder, string.Create(CultureInfo.InvariantCulture, $"{address},{port}"), "st_config");

    /// <summary>All node records, sorted by target, address, port, tpgt, iface (as libopeniscsiusr lists them).</summary>
    public List<NodeRecord> ReadAllNodes()
    {
        var list = new List<NodeRecord>();
        if (!Directory.Exists(NodesFolder))
            return list;
        foreach (var targetFolder in Directory.EnumerateDirectories(NodesFolder))
        {
            foreach (var portal in Directory.EnumerateFileSystemEntries(targetFolder))
            {
                if (Directory.Exists(portal))
                {
                    foreach (var file in Directory.EnumerateFiles(portal))
                    {
                        if (Path.GetFileName(file).StartsWith('.'))
                            continue;
                        var rec = NodeRecord.Parse(File.ReadAllText(file));
                        FillFromPath(rec, Path.GetFileName(targetFolder), Path.GetFileName(portal), Path.GetFileName(file));
                        list.Add(rec);
                    }
                }
                else if (!Path.GetFileName(portal).StartsWith('.'))
                {
                    var rec = NodeRecord.Parse(File.ReadAllText(portal));
                    FillFromPath(rec, Path.GetFileName(targetFolder), Path.GetFileName(portal), null);
                    list.Add(rec);
                }
            }
        }
        list.Sort(Compare);
        return list;
    }

    private static int Compare(NodeRecord a, NodeRecord b)
    {
        var c = string.CompareOrdinal(a.TargetName, b.TargetName);
        if (c == 0) c = string.CompareOrdinal(a.Address, b.Address);
        if (c == 0) c = a.Port.CompareTo(b.Port);
        if (c == 0) c = a.Tpgt.CompareTo(b.Tpgt);
        if (c == 0) c = string.CompareOrdinal(a.IfaceName, b.IfaceName);
        return c;
    }

    /// <summary>The folder names are the lookup keys; a record without them takes them from its path.</summary>
    private static void FillFromPath(NodeRecord rec, string target, string portal, string? iface)
    {
        if (rec.TargetName.Length == 0)
            rec.TargetName = target;
        var parts = portal.Split(',');
        if (rec.Address.Length == 0 && parts.Length >= 2)
        {
            rec.Address = parts[0];
            rec.Port = Record.ParseInt(parts[1]);
        }
        if (parts.Length >= 3 && rec.Tpgt < 0)
            rec.Tpgt = Record.ParseInt(parts[2]);
        if (iface is not null)
            rec.IfaceName = iface;
    }

    /// <summary>Record files: 0600 (they may hold CHAP secrets), missing folders made 0700; a folder that
    /// refuses fsync is no error (the rename is atomic all the same).</summary>
    internal static readonly AtomicWriteOptions RecordFileOptions = new()
    {
        CreateDirectories = true,
        DirectorySync = DirectorySync.BestEffort,
    };

    public void WriteNode(NodeRecord record) => AtomicFile.Write(NodePath(record), record.Format(RecordFormatMode.File), RecordFileOptions);

    public bool NodeExists(NodeRecord record) => File.Exists(NodePath(record));

    /// <summary>Removes the record file and folders left empty.</summary>
    public void DeleteNode(NodeRecord record)
    {
        var path = NodePath(record);
        if (File.Exists(path))
            File.Delete(path);
        var portalFolder = Path.GetDirectoryName(path)!;
        DeleteIfEmpty(portalFolder);
        DeleteIfEmpty(Path.GetDirectoryName(portalFolder)!);
    }

    private static void DeleteIfEmpty(string folder)
    {
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            Directory.Delete(folder);
    }

    public List<DiscoveryRecord> ReadAllSendTargets()
    {
        var list = new List<DiscoveryRecord>();
        if (!Directory.Exists(SendTargetsFolder))
            return list;
        foreach (var folder in Directory.EnumerateDirectories(SendTargetsFolder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            var comma = name.LastIndexOf(',');
            if (comma < 0)
                continue;
            var rec = ReadSendTargets(name[..comma], Record.ParseInt(name[(comma + 1)..]));
            if (rec is not null)
                list.Add(rec);
        }
        return list;
    }

    public DiscoveryRecord? ReadSendTargets(string address, int port)
    {
        var path = SendTargetsPath(address, port);
        if (!File.Exists(path))
            return null;
        var rec = DiscoveryRecord.Parse(File.ReadAllText(path));
        if (rec.Address.Length == 0)
        {
            rec["discovery.sendtargets.address"] = address;
            rec["discovery.sendtargets.port"] = port.ToString(CultureInfo.InvariantCulture);
        }
        return rec;
    }

    public void WriteSendTargets(DiscoveryRecord record) =>
        AtomicFile.Write(SendTargetsPath(record.Address, record.Port), record.Format(RecordFormatMode.File), RecordFileOptions);

    public void DeleteSendTargets(string address, int port)
    {
        var folder = Path.GetDirectoryName(SendTargetsPath(address, port))!;
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
