namespace SharpSan.Tgt.Tgtadm;

internal static class TgtadmErrors
{
    /// <summary>usr/tgtadm.c tgtadm_strerror.</summary>
    public static string Text(TgtadmError error) => error switch
    {
        TgtadmError.Success => "success",
        TgtadmError.UnknownErr => "unknown error",
        TgtadmError.NoMem => "out of memory",
        TgtadmError.NoDriver => "can't find the driver",
        TgtadmError.NoTarget => "can't find the target",
        TgtadmError.NoLun => "can't find the logical unit",
        TgtadmError.NoSession => "can't find the session",
        TgtadmError.NoConnection => "can't find the connection",
        TgtadmError.NoBinding => "can't find the binding",
        TgtadmError.TargetExist => "this target already exists",
        TgtadmError.BindingExist => "this binding already exists",
        TgtadmError.LunExist => "this logical unit number already exists",
        TgtadmError.AclExist => "this access control rule already exists",
        TgtadmError.AclNoExist => "this access control rule does not exist",
        TgtadmError.UserExist => "this account already exists",
        TgtadmError.NoUser => "can't find the account",
        TgtadmError.TooManyUser => "too many accounts",
        TgtadmError.InvalidRequest => "invalid request",
        TgtadmError.OutAccountExist => "this target already has an outgoing account",
        TgtadmError.TargetActive => "this target is still active",
        TgtadmError.LunActive => "this logical unit is still active",
        TgtadmError.DriverActive => "this driver is busy",
        TgtadmError.UnsupportedOperation => "this operation isn't supported",
        TgtadmError.UnknownParam => "unknown parameter",
        TgtadmError.PreventRemoval => "this device has Prevent Removal set",
        _ => "(unknown tgtadm_errno)",
    };
}
