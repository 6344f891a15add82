namespace SharpSan.Scsi;

/// <summary>Executes a prepared task and sets its status and data.</summary>
internal delegate ValueTask CommandExecutor(ScsiTask task, CancellationToken cancellationToken);
