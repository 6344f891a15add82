namespace SharpSan.Protocol;

/// <summary>Task Management Function Response codes (RFC 7143 §11.6.1).</summary>
public enum TaskManagementResponseCode : byte
{
    FunctionComplete = 0x00,
    TaskDoesNotExist = 0x01,
    LunDoesNotExist = 0x02,
    TaskStillAllegiant = 0x03,
    TaskAllegianceReassignmentNotSupported = 0x04,
    FunctionNotSupported = 0x05,
    FunctionAuthorizationFailed = 0x06,
    FunctionRejected = 0xFF,
}
