namespace SharpSan.Tgt.Tgtadm;

/// <summary>tgtd's answers to a management request (usr/tgtadm_error.h), printed by tgtadm as
/// "tgtadm: TEXT" with exit code 22 (EINVAL).</summary>
internal enum TgtadmError
{
    Success,
    UnknownErr,
    NoMem,
    NoDriver,
    NoTarget,
    NoLun,
    NoSession,
    NoConnection,
    NoBinding,
    TargetExist,
    LunExist,
    BindingExist,
    AclExist,
    AclNoExist,
    UserExist,
    NoUser,
    TooManyUser,
    InvalidRequest,
    OutAccountExist,
    TargetActive,
    LunActive,
    DriverActive,
    UnsupportedOperation,
    UnknownParam,
    PreventRemoval,
}
