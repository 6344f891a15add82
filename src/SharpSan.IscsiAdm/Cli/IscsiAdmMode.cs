namespace SharpSan.IscsiAdm.Cli;

/// <summary>iscsiadm's -m values, in open-iscsi's enum order.</summary>
public enum IscsiAdmMode
{
    Discovery = 0,
    DiscoveryDb = 1,
    Node = 2,
    Session = 3,
    Host = 4,
    Iface = 5,
    Fw = 6,
}

/// <summary>-o values; several -o flags combine (open-iscsi ORs them).</summary>
[Flags]
public enum NodeOperation
{
    None = 0,
    New = 1 << 0,
    Delete = 1 << 1,
    Update = 1 << 2,
    Show = 1 << 3,
    NonPersistent = 1 << 4,
    Apply = 1 << 5,
    ApplyAll = 1 << 6,
    Login = 1 << 7,
    Logout = 1 << 8,
}
