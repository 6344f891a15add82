namespace SharpSan.Initiator;

/// <summary>What the reader loop hands to the connection's sender loop, so the reader never blocks
/// on a socket write (a full send buffer on both sides would deadlock).</summary>
internal readonly record struct OutboundWork(OutboundKind Kind, PendingCommand? Command, uint Tag, int Offset, int Length, int Generation);

internal enum OutboundKind
{
    /// <summary>Data-Out for an R2T (RFC 7143 §11.8): Tag = TTT.</summary>
    R2TData,
    /// <summary>NOP-Out answering a target NOP-In (§11.18): Tag = TTT.</summary>
    NopReply,
    /// <summary>NOP-Out ping (§11.18): Tag = ITT.</summary>
    Ping,
    /// <summary>ABORT TASK for a command we gave up on: Tag = its ITT, Offset carries nothing.</summary>
    Abort,
}
