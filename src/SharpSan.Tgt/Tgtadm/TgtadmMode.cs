namespace SharpSan.Tgt.Tgtadm;

/// <summary>tgtadm's --mode (usr/tgtadm.h enum tgtadm_mode).</summary>
internal enum TgtadmMode
{
    System,
    Target,
    Device,
    Portal,
    Lld,
    Session,
    Connection,
    Account,
}
