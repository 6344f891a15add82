namespace SharpSan.NodeRecords;

/// <summary>One row of a record schema: key, type, default, whether -o update may change it.</summary>
public sealed record RecordKey(
    string Name,
    RecordKeyKind Kind,
    string Default,
    bool CanModify = true,
    RecordKeyVisibility Visibility = RecordKeyVisibility.Show,
    IReadOnlyList<string>? Choices = null);
