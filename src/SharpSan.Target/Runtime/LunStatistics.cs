namespace SharpSan.Target.Runtime;

/// <summary>
/// I/O counters of one LUN as one I_T nexus uses it: what tgt keeps per it_nexus_lu_info and prints
/// with `tgtadm --op stat` (usr/target.c tgt_stat_line): commands and bytes submitted and completed
/// successfully, per direction, and the commands that ended in error. Updated with interlocked
/// adds from the connection's command paths; read at any time by management tools.
/// </summary>
public sealed class LunStatistics
{
    private long _readSubmittedBytes, _readSubmittedCommands, _readDoneBytes, _readDoneCommands;
    private long _writeSubmittedBytes, _writeSubmittedCommands, _writeDoneBytes, _writeDoneCommands;
    private long _errors;

    public LunStatistics(ulong lun) => Lun = lun;

    public ulong Lun { get; }

    public long ReadSubmittedBytes => Volatile.Read(ref _readSubmittedBytes);
    public long ReadSubmittedCommands => Volatile.Read(ref _readSubmittedCommands);
    public long ReadDoneBytes => Volatile.Read(ref _readDoneBytes);
    public long ReadDoneCommands => Volatile.Read(ref _readDoneCommands);
    public long WriteSubmittedBytes => Volatile.Read(ref _writeSubmittedBytes);
    public long WriteSubmittedCommands => Volatile.Read(ref _writeSubmittedCommands);
    public long WriteDoneBytes => Volatile.Read(ref _writeDoneBytes);
    public long WriteDoneCommands => Volatile.Read(ref _writeDoneCommands);
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>A command reached the logical unit (tgt counts at queueing, by data direction).</summary>
    internal void Submitted(DataDirection direction, long bytes)
    {
        if (direction == DataDirection.Read)
        {
            Interlocked.Add(ref _readSubmittedBytes, bytes);
            Interlocked.Increment(ref _readSubmittedCommands);
        }
        else if (direction == DataDirection.Write)
        {
            Interlocked.Add(ref _writeSubmittedBytes, bytes);
            Interlocked.Increment(ref _writeSubmittedCommands);
        }
    }

    /// <summary>A command completed: with GOOD status its bytes count as done, otherwise as an error.</summary>
    internal void Completed(DataDirection direction, long bytes, bool good)
    {
        if (!good)
        {
            Interlocked.Increment(ref _errors);
            return;
        }
        if (direction == DataDirection.Read)
        {
            Interlocked.Add(ref _readDoneBytes, bytes);
            Interlocked.Increment(ref _readDoneCommands);
        }
        else if (direction == DataDirection.Write)
        {
            Interlocked.Add(ref _writeDoneBytes, bytes);
            Interlocked.Increment(ref _writeDoneCommands);
        }
    }
}
