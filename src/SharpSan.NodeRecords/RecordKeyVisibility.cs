namespace SharpSan.NodeRecords;

/// <summary>IDBM_SHOW, IDBM_MASKED (secrets, "********" unless -S) and IDBM_HIDE (never printed).</summary>
public enum RecordKeyVisibility
{
    Show,
    Masked,
    Hide,
}
