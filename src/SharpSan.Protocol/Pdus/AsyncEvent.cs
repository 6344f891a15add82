namespace SharpSan.Protocol;

/// <summary>Asynchronous Message AsyncEvent codes (RFC 7143 §11.9.1).</summary>
public enum AsyncEvent : byte
{
    /// <summary>A SCSI asynchronous event; the data segment carries sense data.</summary>
    ScsiAsyncEvent = 0x00,
    /// <summary>The target asks the initiator to log out (Parameter3: time to logout, seconds).</summary>
    LogoutRequest = 0x01,
    /// <summary>The target will drop (or has dropped) the connection in Parameter1 (CID).</summary>
    ConnectionDrop = 0x02,
    /// <summary>The target will drop (or has dropped) all connections of the session.</summary>
    SessionDrop = 0x03,
    /// <summary>The target asks for parameter negotiation on this connection.</summary>
    NegotiationRequest = 0x04,
    /// <summary>All active tasks for a LU with a matching LUN field will be terminated.</summary>
    TaskTermination = 0x05,
    /// <summary>Vendor-specific: AsyncVCode carries the vendor code.</summary>
    VendorSpecific = 0xFF,
}
