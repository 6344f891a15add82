namespace SharpSan.Target;

/// <summary>What <see cref="DataOutTracker.Accept"/> decided about one Data-Out PDU.</summary>
internal enum DataOutVerdict
{
    /// <summary>In order and inside what was asked for: keep its data.</summary>
    Accepted,
    /// <summary>Unsolicited data after F=1 or beyond the unsolicited allowance: Reject, protocol error (§11.17.1).</summary>
    ProtocolError,
    /// <summary>An unknown target transfer tag, or data outside its R2T's burst: Reject, invalid PDU field (§11.17.1).</summary>
    InvalidField,
    /// <summary>A DataSN out of order: a lost, repeated or reordered PDU, which ERL 0 cannot recover (§7.x).</summary>
    SequenceError,
}
