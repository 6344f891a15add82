namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// The copies of one I_T nexus on one logical unit, by list identifier (SPC-4 6.4.3.2, 6.18): the
/// running ones, whose list identifiers must stay unique, and the finished ones held (LIST ID USAGE 00b)
/// for RECEIVE COPY RESULTS. Kept in the nexus' <see cref="NexusState"/>, so a nexus loss discards it.
/// Copy commands are rare: one lock.
/// </summary>
internal sealed class CopyResults
{
    private readonly object _lock = new();
    private readonly Dictionary<byte, CopyOperation> _byListId = new();
    private long _sequence;

    /// <summary>Registers a new copy. False when a copy with the same list identifier is running
    /// (OPERATION IN PROGRESS), or when <see cref="CopyLimits.MaxConcurrentCopies"/> identified copies
    /// are running (INSUFFICIENT RESOURCES, <paramref name="inProgress"/> false).</summary>
    public bool TryBegin(byte listId, ListIdUsage usage, out CopyOperation operation, out bool inProgress)
    {
        lock (_lock)
        {
            operation = new CopyOperation(listId, usage, ++_sequence);
            inProgress = false;
            if (usage == ListIdUsage.NoListId)
            {
                // No list identifier: nothing to keep unique, nothing to hold.
                return true;
            }

            if (_byListId.TryGetValue(listId, out CopyOperation? existing) && !existing.Finished)
            {
                inProgress = true;
                return false;
            }

            // A new copy with the same list identifier discards what was held for the old one.
            _byListId.Remove(listId);
            if (_byListId.Count >= CopyLimits.MaxConcurrentCopies && !EvictOldestFinished())
            {
                return false;
            }

            _byListId[listId] = operation;
            return true;
        }
    }

    /// <summary>The copy ended: results are held only when LIST ID USAGE asked for them.</summary>
    public void End(CopyOperation operation)
    {
        if (operation.Usage == ListIdUsage.Hold)
        {
            return;
        }

        lock (_lock)
        {
            if (_byListId.TryGetValue(operation.ListId, out CopyOperation? current) && ReferenceEquals(current, operation))
            {
                _byListId.Remove(operation.ListId);
            }
        }
    }

    /// <summary>The running or held copy with <paramref name="listId"/>.</summary>
    public CopyOperation? Find(byte listId)
    {
        lock (_lock)
        {
            return _byListId.GetValueOrDefault(listId);
        }
    }

    /// <summary>Discards a finished copy's results once everything held for it was delivered.</summary>
    public void DiscardIfDelivered(CopyOperation operation)
    {
        lock (_lock)
        {
            if (operation.Finished && operation.StatusDelivered && operation.DetailsDelivered &&
                _byListId.TryGetValue(operation.ListId, out CopyOperation? current) && ReferenceEquals(current, operation))
            {
                _byListId.Remove(operation.ListId);
            }
        }
    }

    private bool EvictOldestFinished()
    {
        CopyOperation? oldest = null;
        foreach (CopyOperation candidate in _byListId.Values)
        {
            if (candidate.Finished && (oldest is null || candidate.Sequence < oldest.Sequence))
            {
                oldest = candidate;
            }
        }

        if (oldest is null)
        {
            return false;
        }

        _byListId.Remove(oldest.ListId);
        return true;
    }
}
