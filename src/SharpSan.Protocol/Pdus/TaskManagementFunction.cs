namespace SharpSan.Protocol;

/// <summary>Task Management Function Request function codes (RFC 7143 §11.5.1).</summary>
public enum TaskManagementFunction : byte
{
    AbortTask = 0x01,
    AbortTaskSet = 0x02,
    ClearAca = 0x03,
    ClearTaskSet = 0x04,
    LogicalUnitReset = 0x05,
    TargetWarmReset = 0x06,
    TargetColdReset = 0x07,
    TaskReassign = 0x08,
}
