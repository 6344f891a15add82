namespace SharpSan.Protocol;

/// <summary>SCSI Response "Response" field (RFC 7143 §11.4.3): whether the target completed the command
/// at all. Only with <see cref="CommandCompletedAtTarget"/> is the Status field valid.</summary>
public enum ScsiResponseCode : byte
{
    CommandCompletedAtTarget = 0x00,
    TargetFailure = 0x01,
}
