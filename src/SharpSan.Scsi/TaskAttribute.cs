namespace SharpSan.Scsi;

/// <summary>Task attribute (SAM-5 8.6); the iSCSI ATTR field carries the same values.</summary>
public enum TaskAttribute : byte
{
    Untagged = 0,
    Simple = 1,
    Ordered = 2,
    HeadOfQueue = 3,
    Aca = 4,
}
