namespace SharpSan.Scsi;

/// <summary>
/// What one logical unit keeps for one I_T nexus: its queue of unit attention conditions
/// (SAM-5 5.14). Enqueue/dequeue take a lock; the per-command check reads one volatile count.
/// </summary>
internal sealed class NexusState
{
    /// <summary>SAM-5 5.14.2 lets a device server drop conditions when the queue is full.</summary>
    private const int Capacity = 8;

    private readonly object _lock = new();
    private readonly ushort[] _queue = new ushort[Capacity];
    private int _head;
    private volatile int _count;

    public bool HasUnitAttention => _count != 0;

    /// <summary>PREVENT ALLOW MEDIUM REMOVAL from this nexus (SBC-3, MMC-6): its PREVENT bit 0. Medium
    /// removal is prevented while any nexus holds it; a nexus loss or a logical unit reset ends it.</summary>
    public volatile bool PreventRemoval;

    /// <summary>The media event this nexus has not polled yet with GET EVENT STATUS NOTIFICATION
    /// (MMC-6, media event codes); 0: none.</summary>
    public volatile byte MediaEvent;

    /// <summary>This nexus' EXTENDED COPY operations for RECEIVE COPY RESULTS (SPC-4 6.18); created by
    /// the first copy, and discarded with the nexus.</summary>
    public ExtendedCopy.CopyResults? CopyResults;

    /// <summary>Queues a unit attention (ASC/ASCQ); an identical pending condition is not repeated.</summary>
    public void Enqueue(byte asc, byte ascq)
    {
        ushort code = (ushort)((asc << 8) | ascq);
        lock (_lock)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_queue[(_head + i) % Capacity] == code)
                {
                    return;
                }
            }

            if (_count == Capacity)
            {
                return;
            }

            _queue[(_head + _count) % Capacity] = code;
            _count++;
        }
    }

    /// <summary>Removes the oldest pending unit attention (it is being reported).</summary>
    public bool TryDequeue(out byte asc, out byte ascq)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                asc = 0;
                ascq = 0;
                return false;
            }

            ushort code = _queue[_head];
            _head = (_head + 1) % Capacity;
            _count--;
            asc = (byte)(code >> 8);
            ascq = (byte)code;
            return true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _head = 0;
            _count = 0;
        }
    }
}
