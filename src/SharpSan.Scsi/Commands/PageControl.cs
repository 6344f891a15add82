namespace SharpSan.Scsi;

/// <summary>Page control values (SPC-4 6.11.1, table 176).</summary>
internal enum PageControl : byte
{
    Current = 0,
    Changeable = 1,
    Default = 2,
    Saved = 3,
}
