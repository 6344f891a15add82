namespace SharpSan.NodeRecords.Tests;

/// <summary>A temp record root (what $SHARPSAN_ISCSI_ROOT names) with its <see cref="NodeDatabase"/>.</summary>
internal sealed class Harness : IDisposable
{
    public Harness()
    {
        Root = Directory.CreateTempSubdirectory("noderecords-test-").FullName;
        Database = new NodeDatabase(Root);
    }

    public string Root { get; }
    public NodeDatabase Database { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
