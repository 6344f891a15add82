namespace SharpSan.Target.Runtime;

/// <summary>An iSCSI target node (RFC 7143 §4.2.7): a name and its portal groups.</summary>
public sealed class IscsiTargetNode
{
    public IscsiTargetNode(string name) => Name = name;

    public string Name { get; }
    public List<TargetPortalGroup> Tpgs { get; } = new();
}
