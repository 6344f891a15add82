using System.Globalization;
using SharpSan.IscsiAdm.Cli;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm;

public sealed partial class IscsiAdmCommand
{
    /// <summary>The built-in ifaces open-iscsi always lists (default_ifaces in usr/iface.c).</summary>
    private static readonly (string Name, string Transport)[] DefaultIfaces = [("default", "tcp"), ("iser", "iser")];

    /// <summary>-m iface: the iface list (flat, or -P 1 with the nodes bound to each iface).</summary>
    private IscsiError IfaceMode(IscsiAdmOptions o)
    {
        if (o.SubMode is not null)
            return NotSupported($"iface submode {o.SubMode} is not supported by SharpSAN");
        if (o.Operations != NodeOperation.None || o.Ifaces.Count > 0 || o.Host is not null)
            return NotSupported("iface records other than the built-in default and iser ifaces are not supported by SharpSAN yet");
        if (o.PrintLevel == 1)
        {
            var nodes = _db.ReadAllNodes();
            foreach (var (name, _) in DefaultIfaces)
            {
                _out.Write($"Iface: {name}\n");
                string? previous = null;
                foreach (var n in nodes.Where(n => n.IfaceName == name))
                {
                    if (previous != n.TargetName)
                        _out.Write($"\tTarget: {n.TargetName}\n");
                    _out.Write(string.Create(CultureInfo.InvariantCulture, $"\t\tPortal: {n.PortalText},{n.Tpgt}\n"));
                    previous = n.TargetName;
                }
            }
            return IscsiError.Success;
        }
        foreach (var (name, transport) in DefaultIfaces)
            _out.Write($"{name} {transport},<empty>,<empty>,<empty>,<empty>\n");
        return IscsiError.Success;
    }
}
