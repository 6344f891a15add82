namespace SharpSan.Scsi;

/// <summary>
/// The unit attention conditions a logical unit establishes (SPC-4 annex D: ASC in the high byte,
/// ASCQ in the low byte), kept per I_T nexus by <see cref="NexusState"/>.
/// </summary>
internal static class UnitAttentionCodes
{
    /// <summary>ASYMMETRIC ACCESS STATE CHANGED (SPC-4 annex D, 0x2A/0x06).</summary>
    public const ushort UaAsymmetricAccessStateChanged = 0x2A06;

    /// <summary>NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED (SPC-4 annex D, 0x28/0x00).</summary>
    public const ushort UaMediumMayHaveChanged = 0x2800;

    /// <summary>MEDIUM NOT PRESENT (0x3A/0x00) as a unit attention: the medium was taken away.</summary>
    public const ushort UaMediumNotPresent = 0x3A00;

    /// <summary>BUS DEVICE RESET FUNCTION OCCURRED (SPC-4 annex D, 0x29/0x03).</summary>
    public const ushort UaBusDeviceReset = 0x2903;

    /// <summary>MODE PARAMETERS CHANGED (0x2A/0x01).</summary>
    public const ushort UaModeParametersChanged = 0x2A01;

    /// <summary>I_T NEXUS LOSS OCCURRED (SPC-4 annex D, 0x29/0x07).</summary>
    public const ushort UaNexusLossOccurred = 0x2907;

    /// <summary>COMMANDS CLEARED BY ANOTHER INITIATOR (SPC-4 annex D, 0x2F/0x00).</summary>
    public const ushort UaCommandsClearedByAnotherInitiator = 0x2F00;

    /// <summary>REPORTED LUNS DATA HAS CHANGED (0x3F/0x0E).</summary>
    public const ushort UaReportedLunsDataChanged = 0x3F0E;

    /// <summary>TIMESTAMP CHANGED (SPC-4 annex D, 0x2A/0x10).</summary>
    public const ushort UaTimestampChanged = 0x2A10;

    /// <summary>CAPACITY DATA HAS CHANGED (SPC-4 annex D, 0x2A/0x09).</summary>
    public const ushort UaCapacityDataHasChanged = 0x2A09;

    /// <summary>INQUIRY DATA HAS CHANGED (SPC-4 annex D, 0x3F/0x03).</summary>
    public const ushort UaInquiryDataChanged = 0x3F03;
}
