namespace SharpSan.Config;

/// <summary>What one comma-separated entry of an IET access file names.</summary>
internal enum IetAccessKind
{
    /// <summary>"ALL": every initiator.</summary>
    All,
    /// <summary>An address or a network, written the way <see cref="TgtAddressRule"/> reads it.</summary>
    Address,
    /// <summary>An initiator name.</summary>
    Name,
}
