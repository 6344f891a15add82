using SharpSan.IscsiAdm.Cli;
using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>-m iface: the iface list (flat, or -P 1 with the nodes bound to each iface).</summary>
internal sealed class IfaceMode(NodeDatabase database, CommandOutput output)
{
    /// <summary>The built-in ifaces open-iscsi always lists (default_ifaces in usr/iface.c).</summary>
    private static readonly (string Name, string Transport)[] DefaultIfaces = [("default", "tcp"), ("iser", "iser")];

    public IscsiError Run(IscsiAdmOptions o)
    {
        if (o.SubMode is not null)
            return output.NotSupported($"iface submode {o.SubMode} is not supported by SharpSAN");
        if (o.Operations != NodeOperation.None || o.Ifaces.Count > 0 || o.Host is not null)
            return output.NotSupported("iface records other than the built-in default and iser ifaces are not supported by SharpSAN yet");
        if (o.PrintLevel == 1)
        {
            var nodes = database.ReadAllNodes();
            foreach (var (name, _) in DefaultIfaces)
            {
                output.Write($"Iface: {name}\n");
                output.NodeTree(nodes.Where(n => n.IfaceName == name), "\t", withIface: false);
            }
            return IscsiError.Success;
        }
        foreach (var (name, transport) in DefaultIfaces)
            output.Write($"{name} {transport},<empty>,<empty>,<empty>,<empty>\n");
        return IscsiError.Success;
    }
}
