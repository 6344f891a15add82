namespace SharpSan.IscsiAdm.Records;

/// <summary>How a record value is stored and validated (open-iscsi's recinfo types).</summary>
public enum RecordKeyKind
{
    /// <summary>Free text (TYPE_STR).</summary>
    Text,
    /// <summary>Integer, parsed like strtoul (TYPE_INT / UINT8/16/32).</summary>
    Integer,
    /// <summary>One of a fixed list of words (TYPE_INT_O): "No"/"Yes", "manual"/"automatic"...</summary>
    Choice,
    /// <summary>Comma separated subset of a list (TYPE_INT_LIST): chap_algs.</summary>
    ChoiceList,
}

/// <summary>IDBM_SHOW, IDBM_MASKED (secrets, "********" unless -S) and IDBM_HIDE (never printed).</summary>
public enum RecordKeyVisibility
{
    Show,
    Masked,
    Hide,
}

/// <summary>One row of a record schema: key, type, default, whether -o update may change it.</summary>
public sealed record RecordKey(
    string Name,
    RecordKeyKind Kind,
    string Default,
    bool CanModify = true,
    RecordKeyVisibility Visibility = RecordKeyVisibility.Show,
    IReadOnlyList<string>? Choices = null);
