namespace SharpSan.Scsi;

/// <summary>The one table from <see cref="SenseReason"/> to sense key, ASC and ASCQ (SPC-4 annex D).</summary>
internal static class SenseTable
{
    public static void Lookup(SenseReason reason, out SenseKey key, out byte asc, out byte ascq)
    {
        (key, asc, ascq) = reason switch
        {
            SenseReason.InvalidCommandOperationCode => (SenseKey.IllegalRequest, (byte)0x20, (byte)0x00),
            SenseReason.InvalidFieldInCdb => (SenseKey.IllegalRequest, (byte)0x24, (byte)0x00),
            SenseReason.InvalidFieldInParameterList => (SenseKey.IllegalRequest, (byte)0x26, (byte)0x00),
            SenseReason.ParameterListLengthError => (SenseKey.IllegalRequest, (byte)0x1A, (byte)0x00),
            SenseReason.LogicalUnitNotSupported => (SenseKey.IllegalRequest, (byte)0x25, (byte)0x00),
            SenseReason.LogicalBlockAddressOutOfRange => (SenseKey.IllegalRequest, (byte)0x21, (byte)0x00),
            SenseReason.SavingParametersNotSupported => (SenseKey.IllegalRequest, (byte)0x39, (byte)0x00),
            SenseReason.InvalidFieldInCommandInformationUnit => (SenseKey.IllegalRequest, (byte)0x0E, (byte)0x03),
            SenseReason.WriteProtected => (SenseKey.DataProtect, (byte)0x27, (byte)0x00),
            SenseReason.UnrecoveredReadError => (SenseKey.MediumError, (byte)0x11, (byte)0x00),
            SenseReason.WriteError => (SenseKey.MediumError, (byte)0x0C, (byte)0x00),
            SenseReason.MiscompareDuringVerify => (SenseKey.Miscompare, (byte)0x1D, (byte)0x00),
            SenseReason.MediumNotPresent => (SenseKey.NotReady, (byte)0x3A, (byte)0x00),
            SenseReason.UnitAttention => (SenseKey.UnitAttention, (byte)0x00, (byte)0x00),
            SenseReason.AbortedCommand => (SenseKey.AbortedCommand, (byte)0x00, (byte)0x00),
            SenseReason.DataPhaseError => (SenseKey.AbortedCommand, (byte)0x4B, (byte)0x00),
            SenseReason.InternalTargetFailure => (SenseKey.HardwareError, (byte)0x44, (byte)0x00),
            SenseReason.NotReadyBecomingReady => (SenseKey.NotReady, (byte)0x04, (byte)0x01),
            SenseReason.MediumNotPresentTrayClosed => (SenseKey.NotReady, (byte)0x3A, (byte)0x01),
            SenseReason.MediumNotPresentTrayOpen => (SenseKey.NotReady, (byte)0x3A, (byte)0x02),
            SenseReason.MediumRemovalPrevented => (SenseKey.IllegalRequest, (byte)0x53, (byte)0x02),
            SenseReason.NotReadyMediumRemovalPrevented => (SenseKey.NotReady, (byte)0x53, (byte)0x02),
            SenseReason.CannotReadMediumIncompatibleFormat => (SenseKey.IllegalRequest, (byte)0x30, (byte)0x02),
            // ---- Provisioning (UNMAP, WRITE SAME, GET LBA STATUS): add its values below this line ----

            // ---- Block (COMPARE AND WRITE, ORWRITE, WRITE ATOMIC, SANITIZE, FORMAT UNIT, READ DEFECT DATA): add its values below this line ----
            SenseReason.SanitizeInProgress => (SenseKey.NotReady, (byte)0x04, (byte)0x1B),
            SenseReason.SanitizeCommandFailed => (SenseKey.MediumError, (byte)0x31, (byte)0x03),

            // ---- PersistentReservations: add its values below this line ----
            SenseReason.InvalidReleaseOfPersistentReservation => (SenseKey.IllegalRequest, (byte)0x26, (byte)0x04),
            SenseReason.InsufficientRegistrationResources => (SenseKey.IllegalRequest, (byte)0x55, (byte)0x04),

            // ---- ExtendedCopy: add its values below this line ----
            SenseReason.TooManyTargetDescriptors => (SenseKey.IllegalRequest, (byte)0x26, (byte)0x06),
            SenseReason.UnsupportedTargetDescriptorTypeCode => (SenseKey.IllegalRequest, (byte)0x26, (byte)0x07),
            SenseReason.TooManySegmentDescriptors => (SenseKey.IllegalRequest, (byte)0x26, (byte)0x08),
            SenseReason.UnsupportedSegmentDescriptorTypeCode => (SenseKey.IllegalRequest, (byte)0x26, (byte)0x09),
            SenseReason.OperationInProgress => (SenseKey.IllegalRequest, (byte)0x00, (byte)0x16),
            SenseReason.InsufficientResources => (SenseKey.IllegalRequest, (byte)0x55, (byte)0x03),
            SenseReason.CopyAborted => (SenseKey.CopyAborted, (byte)0x00, (byte)0x00),
            SenseReason.UnreachableCopyTarget => (SenseKey.CopyAborted, (byte)0x08, (byte)0x04),
            SenseReason.CopyTargetDeviceNotReachable => (SenseKey.CopyAborted, (byte)0x0D, (byte)0x02),
            SenseReason.IncorrectCopyTargetDeviceType => (SenseKey.CopyAborted, (byte)0x0D, (byte)0x03),

            // ---- Alua: add its values below this line ----
            SenseReason.NotReadyAsymmetricAccessTransition => (SenseKey.NotReady, (byte)0x04, (byte)0x0A),
            SenseReason.NotReadyTargetPortInStandby => (SenseKey.NotReady, (byte)0x04, (byte)0x0B),
            SenseReason.NotReadyTargetPortUnavailable => (SenseKey.NotReady, (byte)0x04, (byte)0x0C),
            SenseReason.NotReadyOffline => (SenseKey.NotReady, (byte)0x04, (byte)0x12),

            // ---- Reporting (REPORT SUPPORTED OPERATION CODES, timestamps, LOG SENSE): add its values below this line ----

            _ => (SenseKey.NoSense, (byte)0x00, (byte)0x00),
        };
    }
}
