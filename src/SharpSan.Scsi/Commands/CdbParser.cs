namespace SharpSan.Scsi;

/// <summary>Validates a CDB and fills <see cref="ScsiTask.Direction"/>, <see cref="ScsiTask.TransferLength"/>
/// and the parse scratch fields. Returns false after failing the task (sense set).</summary>
internal delegate bool CdbParser(ScsiTask task);
