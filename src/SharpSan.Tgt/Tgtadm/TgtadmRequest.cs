namespace SharpSan.Tgt.Tgtadm;

/// <summary>
/// What tgtadm sends tgtd (usr/tgtadm.h struct tgtadm_req, and the parameter text tgtadm.c's main
/// builds), as parsed from the command line. Absent values are null; Tid is -1 when not given, Lun
/// ulong.MaxValue, as in tgtadm.
/// </summary>
internal sealed class TgtadmRequest
{
    public const int GlobalTid = -1;

    public TgtadmMode Mode { get; set; }
    public TgtadmOp Op { get; set; }
    /// <summary>--lld; empty: the first driver (iscsi), as tgtd's mtask_execute does.</summary>
    public string Lld { get; set; } = "";
    public int Tid { get; set; } = -1;
    public ulong Sid { get; set; }
    public uint Cid { get; set; }
    public ulong Lun { get; set; } = ulong.MaxValue;
    public uint HostNo { get; set; }
    public TgtDeviceType DeviceType { get; set; } = TgtDeviceType.Disk;
    public bool Outgoing { get; set; }
    public bool Force { get; set; }
    public int ControlPort { get; set; }

    public string? Name { get; set; }
    public string? Value { get; set; }
    public string? Path { get; set; }
    public string? BsType { get; set; }
    public string? BsOpts { get; set; }
    public string? BsOFlags { get; set; }
    public string? BlockSize { get; set; }
    public string? TargetName { get; set; }
    public string? InitiatorAddress { get; set; }
    public string? InitiatorName { get; set; }
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>--params given before --mode portal (tgtadm.c: "targetOps").</summary>
    public string? TargetOps { get; set; }
    /// <summary>--params given after --mode portal (tgtadm.c: "portalOps").</summary>
    public string? PortalOps { get; set; }

    /// <summary>True when tgtadm would send no parameter text (tgtd's "req->len == sizeof(*req)").</summary>
    public bool HasNoParameters =>
        Name is null && Path is null && BsType is null && BsOpts is null && BsOFlags is null && BlockSize is null
        && TargetName is null && InitiatorAddress is null && InitiatorName is null && User is null && Password is null
        && TargetOps is null && PortalOps is null && DeviceType != TgtDeviceType.Tape;
}
