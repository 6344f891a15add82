namespace SharpSan.Scsi;

/// <summary>PERSISTENT RESERVE OUT service actions (SPC-4 6.16.2, table 169).</summary>
internal enum PersistentReserveOutAction : byte
{
    Register = 0x00,
    Reserve = 0x01,
    Release = 0x02,
    Clear = 0x03,
    Preempt = 0x04,
    PreemptAndAbort = 0x05,
    RegisterAndIgnoreExistingKey = 0x06,
    RegisterAndMove = 0x07,
}

/// <summary>An initiator named by a TransportID (SPC-4 7.6.4.6): an iSCSI name and, for a port, its ISID;
/// <see cref="Offset"/> is where it starts in the parameter list (for the field pointer).</summary>
internal readonly record struct TransportIdEntry(string Name, string? Isid, int Offset);

/// <summary>A PERSISTENT RESERVE OUT command with its parameter list decoded (SPC-4 6.16.3, 6.16.4).</summary>
internal sealed class PersistentReserveOutRequest
{
    public PersistentReserveOutAction Action { get; init; }

    /// <summary>TYPE of the CDB (RESERVE, RELEASE, PREEMPT, PREEMPT AND ABORT).</summary>
    public PersistentReservationType Type { get; init; }

    /// <summary>RESERVATION KEY: the key the sending I_T nexus is registered with.</summary>
    public ulong ReservationKey { get; init; }

    /// <summary>SERVICE ACTION RESERVATION KEY: the new key (REGISTER, REGISTER AND MOVE) or the key to
    /// preempt (PREEMPT, PREEMPT AND ABORT).</summary>
    public ulong ServiceActionReservationKey { get; init; }

    /// <summary>ALL_TG_PT (REGISTER and REGISTER AND IGNORE EXISTING KEY only).</summary>
    public bool AllTargetPorts { get; init; }

    /// <summary>APTPL (REGISTER, REGISTER AND IGNORE EXISTING KEY, REGISTER AND MOVE only).</summary>
    public bool Aptpl { get; init; }

    /// <summary>SPEC_I_PT's TransportIDs (REGISTER), or REGISTER AND MOVE's one destination.</summary>
    public IReadOnlyList<TransportIdEntry> TransportIds { get; init; } = [];

    /// <summary>REGISTER AND MOVE: RELATIVE TARGET PORT IDENTIFIER of the destination I_T nexus.</summary>
    public ushort RelativeTargetPortId { get; init; }

    /// <summary>REGISTER AND MOVE: UNREG, remove the sender's registration after the move.</summary>
    public bool Unregister { get; init; }
}
