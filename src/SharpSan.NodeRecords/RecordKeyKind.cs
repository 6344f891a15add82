namespace SharpSan.NodeRecords;

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
