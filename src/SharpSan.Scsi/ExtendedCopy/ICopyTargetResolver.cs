namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// Finds the logical unit an EXTENDED COPY CSCD descriptor names (SPC-4 6.4.5.2): how a copy manager
/// reaches copy targets other than its own logical unit. The daemon gives every logical unit it serves
/// one <see cref="CopyTargetRegistry"/>, so a copy runs between any of its units inside the process,
/// across targets, without a network round trip (as LIO reaches every device with 3PC emulation).
/// </summary>
public interface ICopyTargetResolver
{
    /// <summary>The unit with the designator (<paramref name="designatorType"/> and
    /// <paramref name="designator"/> of VPD page 83h, association logical unit), or null.</summary>
    LogicalUnit? Resolve(byte designatorType, ReadOnlySpan<byte> designator);
}
