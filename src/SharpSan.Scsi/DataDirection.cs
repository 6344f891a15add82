namespace SharpSan.Scsi;

/// <summary>Direction of a command's data transfer, seen from the initiator (SAM-5).</summary>
public enum DataDirection
{
    None = 0,
    /// <summary>Data-In: target to initiator (READ, INQUIRY...).</summary>
    Read = 1,
    /// <summary>Data-Out: initiator to target (WRITE, MODE SELECT...).</summary>
    Write = 2,
}
