namespace SharpSan.NodeRecords;

/// <summary>
/// An ordered list of <see cref="RecordKey"/>: the order is the order open-iscsi prints and writes.
/// </summary>
public sealed class RecordSchema
{
    private readonly Dictionary<string, RecordKey> _byName;

    public RecordSchema(IReadOnlyList<RecordKey> keys)
    {
        Keys = keys;
        _byName = keys.ToDictionary(k => k.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<RecordKey> Keys { get; }

    public RecordKey? Find(string name) => _byName.GetValueOrDefault(name);
}
