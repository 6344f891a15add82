namespace SharpSan.NodeRecords;

/// <summary>The open-iscsi release SharpSAN follows.</summary>
public static class OpenIscsi
{
    /// <summary>ISCSI_VERSION_STR: printed by iscsiadm and iscsid --version and after "# BEGIN RECORD ".</summary>
    public const string Version = "2.1.8";
}
