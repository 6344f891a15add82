namespace SharpSan.Scsi;

/// <summary>Operation codes the engine knows (SPC-4 annex E, SBC-3 5.1 table 13, MMC-6 clause 6).</summary>
internal enum ScsiOpcode : byte
{
    TestUnitReady = 0x00,
    RequestSense = 0x03,
    Read6 = 0x08,
    Write6 = 0x0A,
    Inquiry = 0x12,
    ModeSelect6 = 0x15,
    Reserve6 = 0x16,
    Release6 = 0x17,
    ModeSense6 = 0x1A,
    StartStopUnit = 0x1B,
    PreventAllowMediumRemoval = 0x1E,
    ReadCapacity10 = 0x25,
    Read10 = 0x28,
    Write10 = 0x2A,
    WriteAndVerify10 = 0x2E,
    Verify10 = 0x2F,
    PreFetch10 = 0x34,
    SynchronizeCache10 = 0x35,
    ModeSelect10 = 0x55,
    Reserve10 = 0x56,
    Release10 = 0x57,
    /// <summary>MAINTENANCE IN; service action 0Ah is REPORT TARGET PORT GROUPS (SPC-4 6.35).</summary>
    MaintenanceIn = 0xA3,
    ModeSense10 = 0x5A,
    Read16 = 0x88,
    Write16 = 0x8A,
    WriteAndVerify16 = 0x8E,
    Verify16 = 0x8F,
    PreFetch16 = 0x90,
    SynchronizeCache16 = 0x91,
    /// <summary>SERVICE ACTION IN(16); service action 0x10 is READ CAPACITY(16) (SBC-3 5.16).</summary>
    ServiceActionIn16 = 0x9E,
    ReportLuns = 0xA0,
    Read12 = 0xA8,

    // MMC-6 (CD/DVD devices)
    ReadTocPmaAtip = 0x43,
    GetConfiguration = 0x46,
    GetEventStatusNotification = 0x4A,
    ReadDiscInformation = 0x51,
    ReadTrackInformation = 0x52,
    ReadDvdStructure = 0xAD,
    SetCdSpeed = 0xBB,
    MechanismStatus = 0xBD,
    Write12 = 0xAA,
    WriteAndVerify12 = 0xAE,
    Verify12 = 0xAF,

    // SBC-3 / SPC-4 commands of the thin provisioning, atomic, copy, reservation and ALUA families.
    FormatUnit = 0x04,
    ReadDefectData10 = 0x37,
    WriteSame10 = 0x41,
    Unmap = 0x42,
    /// <summary>Variable length CDB (SPC-4 4.2.3): CONTROL in byte 1, ADDITIONAL CDB LENGTH in byte 7, a
    /// 16-bit SERVICE ACTION in bytes 8-9 (SBC-4: 000Dh WRITE SAME(32)).</summary>
    VariableLength = 0x7F,
    Sanitize = 0x48,
    LogSelect = 0x4C,
    LogSense = 0x4D,
    /// <summary>PERSISTENT RESERVE IN (SPC-4 6.15); service actions READ KEYS 00h ... READ FULL STATUS 03h.</summary>
    PersistentReserveIn = 0x5E,
    /// <summary>PERSISTENT RESERVE OUT (SPC-4 6.16); service actions REGISTER 00h ... REGISTER AND MOVE 07h.</summary>
    PersistentReserveOut = 0x5F,
    /// <summary>EXTENDED COPY (SPC-4 6.4); service action 00h LID1, 01h LID4.</summary>
    ExtendedCopy = 0x83,
    /// <summary>RECEIVE COPY RESULTS (SPC-4 6.18); service actions 00h, 03h, 04h (LID1), 05h, 07h (LID4).</summary>
    ReceiveCopyResults = 0x84,
    CompareAndWrite = 0x89,
    OrWrite16 = 0x8B,
    WriteSame16 = 0x93,
    WriteAtomic16 = 0x9C,
    /// <summary>SERVICE ACTION OUT(16) (SBC-3).</summary>
    ServiceActionOut16 = 0x9F,
    /// <summary>MAINTENANCE OUT; service action 0Ah SET TARGET PORT GROUPS, 0Fh SET TIMESTAMP (SPC-4 6.36, 6.38).</summary>
    MaintenanceOut = 0xA4,
    ReadDefectData12 = 0xB7,
}
