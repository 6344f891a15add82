namespace SharpSan.Protocol;

/// <summary>The ATTR field of a SCSI Command (RFC 7143 §11.3.1, SAM task attributes). Values 5-7 are reserved.</summary>
public enum ScsiTaskAttribute : byte
{
    Untagged = 0x0,
    Simple = 0x1,
    Ordered = 0x2,
    HeadOfQueue = 0x3,
    Aca = 0x4,
}
