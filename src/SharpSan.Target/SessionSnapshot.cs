using System.Net;

namespace SharpSan.Target;

/// <summary>A LUN a session sees: the LUN number, the logical unit behind it, and write protection.</summary>
public readonly record struct SessionLun(ulong Lun, LogicalUnit Unit, bool WriteProtected);

/// <summary>One connection of a session: its CID and the initiator's address.</summary>
public readonly record struct SessionConnection(ushort Cid, IPEndPoint Remote);

/// <summary>
/// A point-in-time view of one iSCSI session for management tools (what LIO shows under
/// sessions/ in targetcli): who is logged in, through which TPG, seeing which LUNs.
/// </summary>
public sealed record SessionSnapshot(
    string TargetName,
    ushort TpgTag,
    string InitiatorName,
    string InitiatorAlias,
    ushort Tsih,
    ulong Isid,
    bool IsDiscovery,
    bool DynamicAcl,
    IReadOnlyList<SessionLun> Luns,
    IReadOnlyList<SessionConnection> Connections,
    IReadOnlyList<Runtime.LunStatistics> Statistics);
