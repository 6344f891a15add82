namespace SharpSan.Scsi;

/// <summary>
/// Every reason the engine terminates a command with CHECK CONDITION. <see cref="SenseTable"/> maps
/// each value to its sense key / ASC / ASCQ (SPC-4 4.5.6 and annex D). Errors in the SCSI layer are
/// values of this enum, never exceptions.
/// </summary>
public enum SenseReason : byte
{
    None = 0,
    /// <summary>ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (0x20/0x00).</summary>
    InvalidCommandOperationCode,
    /// <summary>ILLEGAL REQUEST, INVALID FIELD IN CDB (0x24/0x00); carries a field pointer.</summary>
    InvalidFieldInCdb,
    /// <summary>ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST (0x26/0x00); carries a field pointer.</summary>
    InvalidFieldInParameterList,
    /// <summary>ILLEGAL REQUEST, PARAMETER LIST LENGTH ERROR (0x1A/0x00).</summary>
    ParameterListLengthError,
    /// <summary>ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED (0x25/0x00).</summary>
    LogicalUnitNotSupported,
    /// <summary>ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE (0x21/0x00).</summary>
    LogicalBlockAddressOutOfRange,
    /// <summary>ILLEGAL REQUEST, SAVING PARAMETERS NOT SUPPORTED (0x39/0x00).</summary>
    SavingParametersNotSupported,
    /// <summary>ILLEGAL REQUEST, INVALID FIELD IN COMMAND INFORMATION UNIT (0x0E/0x03).</summary>
    InvalidFieldInCommandInformationUnit,
    /// <summary>DATA PROTECT, WRITE PROTECTED (0x27/0x00).</summary>
    WriteProtected,
    /// <summary>MEDIUM ERROR, UNRECOVERED READ ERROR (0x11/0x00).</summary>
    UnrecoveredReadError,
    /// <summary>MEDIUM ERROR, WRITE ERROR (0x0C/0x00).</summary>
    WriteError,
    /// <summary>MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION (0x1D/0x00); information = byte offset.</summary>
    MiscompareDuringVerify,
    /// <summary>NOT READY, MEDIUM NOT PRESENT (0x3A/0x00).</summary>
    MediumNotPresent,
    /// <summary>UNIT ATTENTION; ASC/ASCQ come from the queued condition.</summary>
    UnitAttention,
    /// <summary>ABORTED COMMAND, no additional sense (0x00/0x00).</summary>
    AbortedCommand,
    /// <summary>ABORTED COMMAND, DATA PHASE ERROR (0x4B/0x00): the transport could not deliver the
    /// command's data in order (an iSCSI Data-Out sequence error at ERL 0).</summary>
    DataPhaseError,
    /// <summary>HARDWARE ERROR, INTERNAL TARGET FAILURE (0x44/0x00): the target itself failed (a bug).</summary>
    InternalTargetFailure,
    /// <summary>NOT READY, LOGICAL UNIT IS IN PROCESS OF BECOMING READY (0x04/0x01): what tgt answers
    /// for a non-removable LU taken offline.</summary>
    NotReadyBecomingReady,
    /// <summary>NOT READY, MEDIUM NOT PRESENT - TRAY CLOSED (0x3A/0x01, MMC-6 error codes).</summary>
    MediumNotPresentTrayClosed,
    /// <summary>NOT READY, MEDIUM NOT PRESENT - TRAY OPEN (0x3A/0x02, MMC-6 error codes).</summary>
    MediumNotPresentTrayOpen,
    /// <summary>ILLEGAL REQUEST, MEDIUM REMOVAL PREVENTED (0x53/0x02): eject while a nexus prevents it
    /// and a medium is present (SBC-3 and MMC-6, START STOP UNIT).</summary>
    MediumRemovalPrevented,
    /// <summary>NOT READY, MEDIUM REMOVAL PREVENTED (0x53/0x02): the same without a medium ready.</summary>
    NotReadyMediumRemovalPrevented,
    /// <summary>ILLEGAL REQUEST, CANNOT READ MEDIUM - INCOMPATIBLE FORMAT (0x30/0x02): e.g. a DVD
    /// structure asked of a CD (MMC-6, READ DISC STRUCTURE).</summary>
    CannotReadMediumIncompatibleFormat,

    // ---- Provisioning (UNMAP, WRITE SAME, GET LBA STATUS): add its values below this line ----

    // ---- Block (COMPARE AND WRITE, ORWRITE, WRITE ATOMIC, SANITIZE, FORMAT UNIT, READ DEFECT DATA): add its values below this line ----
    /// <summary>NOT READY, LOGICAL UNIT NOT READY, SANITIZE IN PROGRESS (0x04/0x1B, SBC-3 4.11): carries a
    /// progress indication in the sense-key specific field.</summary>
    SanitizeInProgress,
    /// <summary>MEDIUM ERROR, SANITIZE COMMAND FAILED (0x31/0x03, SBC-3 4.11): a sanitize operation failed
    /// and the logical unit stays in sanitize failure mode until a sanitize succeeds or EXIT FAILURE MODE.</summary>
    SanitizeCommandFailed,

    // ---- PersistentReservations: add its values below this line ----
    /// <summary>ILLEGAL REQUEST, INVALID RELEASE OF PERSISTENT RESERVATION (0x26/0x04): RELEASE by the
    /// holder with another type or scope (SPC-4 5.13.11.2).</summary>
    InvalidReleaseOfPersistentReservation,
    /// <summary>ILLEGAL REQUEST, INSUFFICIENT REGISTRATION RESOURCES (0x55/0x04): a registration the
    /// device server cannot hold, or cannot make persist when APTPL asks for it (SPC-4 6.16.1).</summary>
    InsufficientRegistrationResources,

    // ---- ExtendedCopy: add its values below this line ----
    /// <summary>ILLEGAL REQUEST, TOO MANY TARGET DESCRIPTORS (0x26/0x06): more CSCD descriptors than
    /// the copy manager's MAXIMUM CSCD DESCRIPTOR COUNT (SPC-4 6.4.3.4).</summary>
    TooManyTargetDescriptors,
    /// <summary>ILLEGAL REQUEST, UNSUPPORTED TARGET DESCRIPTOR TYPE CODE (0x26/0x07) (SPC-4 6.4.5.1).</summary>
    UnsupportedTargetDescriptorTypeCode,
    /// <summary>ILLEGAL REQUEST, TOO MANY SEGMENT DESCRIPTORS (0x26/0x08) (SPC-4 6.4.3.5).</summary>
    TooManySegmentDescriptors,
    /// <summary>ILLEGAL REQUEST, UNSUPPORTED SEGMENT DESCRIPTOR TYPE CODE (0x26/0x09) (SPC-4 6.4.6.1).</summary>
    UnsupportedSegmentDescriptorTypeCode,
    /// <summary>ILLEGAL REQUEST, OPERATION IN PROGRESS (0x00/0x16): an EXTENDED COPY whose list
    /// identifier is that of a copy the same I_T nexus still runs (SPC-4 6.4.3.2).</summary>
    OperationInProgress,
    /// <summary>ILLEGAL REQUEST, INSUFFICIENT RESOURCES (0x55/0x03): more concurrent copies than the
    /// copy manager's TOTAL CONCURRENT COPIES (SPC-4 6.18.4).</summary>
    InsufficientResources,
    /// <summary>COPY ABORTED, NO ADDITIONAL SENSE INFORMATION (0x00/0x00): a copy target failed; its own
    /// sense data is embedded (SPC-4 6.4.4).</summary>
    CopyAborted,
    /// <summary>COPY ABORTED, UNREACHABLE COPY TARGET (0x08/0x04): a segment names a CSCD descriptor
    /// index the parameter list does not hold.</summary>
    UnreachableCopyTarget,
    /// <summary>COPY ABORTED, COPY TARGET DEVICE NOT REACHABLE (0x0D/0x02): no logical unit this copy
    /// manager can reach has the CSCD descriptor's designator.</summary>
    CopyTargetDeviceNotReachable,
    /// <summary>COPY ABORTED, INCORRECT COPY TARGET DEVICE TYPE (0x0D/0x03): the copy target is not a
    /// block device, or its block length is not the one the CSCD descriptor states.</summary>
    IncorrectCopyTargetDeviceType,

    // ---- Alua: add its values below this line ----
    /// <summary>NOT READY, LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION (0x04/0x0A,
    /// SPC-4 5.15.2.5).</summary>
    NotReadyAsymmetricAccessTransition,
    /// <summary>NOT READY, LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE (0x04/0x0B, SPC-4 5.15.2.4.4).</summary>
    NotReadyTargetPortInStandby,
    /// <summary>NOT READY, LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN UNAVAILABLE STATE (0x04/0x0C, SPC-4 5.15.2.4.5).</summary>
    NotReadyTargetPortUnavailable,
    /// <summary>NOT READY, LOGICAL UNIT NOT READY, OFFLINE (0x04/0x12): the target port is offline (SPC-4 5.15.2.4.8).</summary>
    NotReadyOffline,

    // ---- Reporting (REPORT SUPPORTED OPERATION CODES, timestamps, LOG SENSE): add its values below this line ----
}
