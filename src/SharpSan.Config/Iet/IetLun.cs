namespace SharpSan.Config;

/// <summary>
/// One "Lun N Type=...,Path=...[,ScsiId=...][,ScsiSN=...][,IOMode=wt|wb|ro][,BlockSize=...]" line, as
/// parsed by <see cref="IetLunParser"/>: <see cref="Type"/> is "fileio" or "blockio",
/// <see cref="IoMode"/> "wt", "wb", "ro" or empty (IET's default: writable, write-through).
/// </summary>
internal sealed record IetLun(ulong Number, int Line, string Path, string Type, string IoMode, string ScsiId, string ScsiSerial, int BlockSize);
