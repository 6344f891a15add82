namespace SharpSan.Scsi;

/// <summary>Entry points of the SCSI engine used by every fabric.</summary>
public static class ScsiDispatcher
{
    /// <summary>Parses the CDB, resolves the LUN and runs every check that precedes a command
    /// (unit attention, reservation, write protect, LBA range). Returns false when the task is already
    /// complete (CHECK CONDITION etc. set): the fabric must not transfer data and sends the status.</summary>
    public static bool Prepare(ScsiTask task) => throw new NotSupportedException("engine pending");

    /// <summary>Executes a prepared task; sets Status/Sense and, for Data-In, Buffer/DataLength.</summary>
    public static ValueTask ExecuteAsync(ScsiTask task, CancellationToken cancellationToken) => throw new NotSupportedException("engine pending");
}
