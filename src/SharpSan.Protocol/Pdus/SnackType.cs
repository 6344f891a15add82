namespace SharpSan.Protocol;

/// <summary>SNACK Request types (RFC 7143 §11.16.1).</summary>
public enum SnackType : byte
{
    /// <summary>Data/R2T SNACK: requests Data-In or R2T PDUs again.</summary>
    DataR2T = 0x0,
    /// <summary>Status SNACK: requests responses again.</summary>
    Status = 0x1,
    /// <summary>DataACK: positively acknowledges Data-In PDUs.</summary>
    DataAck = 0x2,
    /// <summary>R-Data SNACK: requests Data-In again, with re-segmentation.</summary>
    RData = 0x3,
}
