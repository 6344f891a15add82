namespace SharpSan.Scsi;

/// <summary>Executes a prepared task and sets its status and data.</summary>
internal delegate ValueTask CommandExecutor(ScsiTask task, CancellationToken cancellationToken);

/// <summary>Executes a prepared task without blocking and returns true, or returns false (having
/// changed nothing but scratch data) when it would block.</summary>
internal delegate bool InlineExecutor(ScsiTask task);
