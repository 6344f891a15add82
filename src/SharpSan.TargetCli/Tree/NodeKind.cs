namespace SharpSan.TargetCli.Tree;

/// <summary>The kinds of node in targetcli's tree; each has its own commands and summary.</summary>
internal enum NodeKind
{
    Root,
    Backstores,
    Backstore,
    StorageObject,
    AluaGroups,
    AluaGroup,
    Iscsi,
    Target,
    Tpg,
    Acls,
    Acl,
    MappedLun,
    Luns,
    Lun,
    Portals,
    Portal,
    Loopback,
}
