namespace SharpSan.Target;

/// <summary>Limits and timers of the iSCSI target; the defaults suit a LAN and the Linux initiator.</summary>
public sealed class TargetOptions
{
    /// <summary>What we declare as MaxRecvDataSegmentLength (RFC 7143 §13.12); open-iscsi uses 256 KiB too.</summary>
    public int MaxRecvDataSegmentLength { get; set; } = 262144;
    /// <summary>Our MaxBurstLength offer (§13.13).</summary>
    public int MaxBurstLength { get; set; } = 1048576;
    /// <summary>Our FirstBurstLength offer (§13.14).</summary>
    public int FirstBurstLength { get; set; } = 262144;
    /// <summary>Our MaxOutstandingR2T offer (§13.17).</summary>
    public int MaxOutstandingR2T { get; set; } = 16;
    /// <summary>Commands a session may have outstanding: the CmdSN window (§4.2.2.1).</summary>
    public int CommandWindow { get; set; } = 128;
    /// <summary>Largest single command transfer we accept (bytes); also reported in VPD 0xB0.</summary>
    public int MaxTransferBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>A login must complete within this time or the connection is dropped.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Idle time after which we ping the initiator with a NOP-In.</summary>
    public TimeSpan NopInInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>A NOP-In not answered within this time means the connection is dead.</summary>
    public TimeSpan NopInTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a logout or shutdown waits for in-flight commands.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
