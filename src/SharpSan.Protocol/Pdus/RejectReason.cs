namespace SharpSan.Protocol;

/// <summary>Reject PDU reason codes (RFC 7143 §11.17.1).</summary>
public enum RejectReason : byte
{
    /// <summary>0x01 is reserved.</summary>
    Reserved = 0x01,
    /// <summary>Data (payload) digest error; the initiator may resend (ERL &gt; 0).</summary>
    DataDigestError = 0x02,
    /// <summary>SNACK Reject; the initiator may resend.</summary>
    SnackReject = 0x03,
    /// <summary>Protocol error, e.g. a SNACK for a status already acknowledged.</summary>
    ProtocolError = 0x04,
    CommandNotSupported = 0x05,
    /// <summary>Immediate command reject: too many immediate commands.</summary>
    ImmediateCommandReject = 0x06,
    /// <summary>The ITT names a task still in progress.</summary>
    TaskInProgress = 0x07,
    InvalidDataAck = 0x08,
    InvalidPduField = 0x09,
    /// <summary>Long operation reject: cannot generate a Target Transfer Tag, out of resources.</summary>
    LongOperationReject = 0x0A,
    /// <summary>Deprecated; MUST NOT be used (formerly Negotiation Reset).</summary>
    Deprecated = 0x0B,
    /// <summary>Waiting for Logout: the target asked for a logout and refuses new work.</summary>
    WaitingForLogout = 0x0C,
}
