using System.Diagnostics;

namespace SharpSan.Initiator;

/// <summary>Initiator-side state of one command until its status arrives: tags, sequence numbers,
/// Data-In progress. Only completed (acknowledged) when the target's status is in.</summary>
internal sealed class PendingCommand
{
    // Continuations run inline on the receive loop: a completed command's caller issues the next one
    // right there, and InitiatorConnection's cork sends everything a read's completions issued at once.
    private readonly TaskCompletionSource<ScsiResult> _completion = new(TaskCreationOptions.None);

    public PendingCommand(ScsiCommand command, long sequence)
    {
        Command = command;
        Sequence = sequence;
    }

    public ScsiCommand Command { get; }
    /// <summary>Issue order, kept across re-issues so retried commands keep their original order.</summary>
    public long Sequence { get; }
    public uint Itt { get; set; }
    public uint CmdSN { get; set; }
    /// <summary>The connection generation this command was last sent on.</summary>
    public int Generation { get; set; }
    public long IssuedAt { get; set; } = Stopwatch.GetTimestamp();
    public int DataReceived { get; set; }
    public uint NextDataSN { get; set; }
    public Task<ScsiResult> Task => _completion.Task;
    public bool IsCompleted => _completion.Task.IsCompleted;

    /// <summary>Forgets per-attempt progress before the command is sent again.</summary>
    public void ResetForReissue(int generation)
    {
        Generation = generation;
        DataReceived = 0;
        NextDataSN = 0;
        IssuedAt = Stopwatch.GetTimestamp();
    }

    public bool TryComplete(ScsiResult result) => _completion.TrySetResult(result);
    public bool TryFail(Exception error) => _completion.TrySetException(error);
}
