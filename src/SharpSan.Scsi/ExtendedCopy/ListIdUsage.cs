namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>LIST ID USAGE of the EXTENDED COPY(LID1) parameter list (SPC-4 6.4.3.2, table 109).</summary>
internal enum ListIdUsage : byte
{
    /// <summary>00b: the copy manager holds the results for RECEIVE COPY RESULTS; the list identifier
    /// is unique among the nexus' running copies.</summary>
    Hold = 0,
    /// <summary>01b: reserved.</summary>
    Reserved = 1,
    /// <summary>10b: nothing is held, but the list identifier is still unique among running copies.</summary>
    Discard = 2,
    /// <summary>11b: no list identifier (it must be zero); nothing is held (SNLID=1 in OPERATING PARAMETERS).</summary>
    NoListId = 3,
}
