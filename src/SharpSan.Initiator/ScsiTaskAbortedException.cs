namespace SharpSan.Initiator;

/// <summary>A command ended without status because a task management function (ABORT TASK, LOGICAL
/// UNIT RESET) or a timeout aborted it. Its effect on the medium is unknown.</summary>
public sealed class ScsiTaskAbortedException : Exception
{
    public ScsiTaskAbortedException(string message) : base(message)
    {
    }
}
