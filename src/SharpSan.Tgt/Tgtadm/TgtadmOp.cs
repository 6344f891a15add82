namespace SharpSan.Tgt.Tgtadm;

/// <summary>tgtadm's --op (usr/tgtadm.h enum tgtadm_op).</summary>
internal enum TgtadmOp
{
    New,
    Delete,
    Show,
    Bind,
    Unbind,
    Update,
    Stats,
    Start,
    Stop,
}
