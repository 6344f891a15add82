namespace SharpSan.NodeRecords;

/// <summary>How <see cref="Record.Format"/> renders values.</summary>
public enum RecordFormatMode
{
    /// <summary>`-o show`: secrets as "********", empty values as "&lt;empty&gt;".</summary>
    ShowMasked,
    /// <summary>`-o show -S`: secrets in clear, empty values as "&lt;empty&gt;".</summary>
    ShowSecrets,
    /// <summary>The record file: secrets in clear, empty values left out (idbm_print to a file).</summary>
    File,
}
