namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// The tray of a read-only CD/DVD drive (MMC-6): the backstore of an MMC logical unit. It declares
/// the CD/DVD device type, so the unit serves the MMC command set, and holds the medium — the
/// backstore of an ISO image, 2048-byte logical blocks (MMC-6, logical blocks of CD and DVD media) — which the administrator can
/// eject or replace while initiators stay logged in (<see cref="LogicalUnit.ChangeMediumAsync"/>).
/// Without a medium the tray has no blocks; every read goes to whatever medium is loaded when it runs.
/// </summary>
public sealed class MmcTray : IBackstore
{
    /// <summary>User data bytes of a CD Mode 1 / DVD sector (MMC-6, logical block size).</summary>
    public const int SectorSize = 2048;

    private static readonly BackstoreCapabilities CdDvd = new() { DeviceType = PeripheralDeviceType.CdDvd };

    private readonly object _lock = new();
    private volatile LoadedMedium? _medium;

    /// <param name="plugin">The storage object's plugin ("fileio", "block"), which sessions report.</param>
    /// <param name="name">The storage object's name.</param>
    /// <param name="medium">The loaded medium, or null for an empty tray.</param>
    public MmcTray(string plugin, string name, IBackstore? medium)
    {
        ArgumentException.ThrowIfNullOrEmpty(plugin);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Plugin = plugin;
        Name = name;
        if (medium is not null)
        {
            CheckMedium(medium);
            _medium = new LoadedMedium(medium);
        }
    }

    public string Name { get; }
    public string Plugin { get; }
    public int BlockSize => SectorSize;

    /// <summary>The loaded medium's size in 2048-byte blocks; 0 without one.</summary>
    public ulong BlockCount => _medium?.Backstore.BlockCount ?? 0;

    public bool WriteCacheEnabled => false;

    /// <summary>A CD/DVD-ROM drive writes nothing.</summary>
    public bool ReadOnly => true;

    public BackstoreCapabilities Capabilities => CdDvd;

    /// <summary>True when a medium is in the tray.</summary>
    public bool HasMedium => _medium is not null;

    /// <summary>The loaded medium's backstore, or null.</summary>
    public IBackstore? Medium => _medium?.Backstore;

    public async ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        LoadedMedium medium = Enter();
        try
        {
            CheckRange(medium, lba, buffer.Length);
            await medium.Backstore.ReadAsync(lba, buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            medium.Exit();
        }
    }

    public bool TryReadWithoutBlocking(ulong lba, Span<byte> buffer)
    {
        LoadedMedium medium = Enter();
        try
        {
            CheckRange(medium, lba, buffer.Length);
            return medium.Backstore.TryReadWithoutBlocking(lba, buffer);
        }
        finally
        {
            medium.Exit();
        }
    }

    /// <summary>Never called: the MMC command set of a read-only drive has no write commands.</summary>
    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken) =>
        throw new IOException($"{Plugin} cd '{Name}' is read-only.");

    public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    /// <summary>Puts <paramref name="medium"/> (null: nothing) in the tray and returns what was there,
    /// for the caller to retire once its reads are done.</summary>
    internal LoadedMedium? Exchange(IBackstore? medium)
    {
        if (medium is not null)
        {
            CheckMedium(medium);
        }

        lock (_lock)
        {
            LoadedMedium? old = _medium;
            _medium = medium is null ? null : new LoadedMedium(medium);
            return old;
        }
    }

    public async ValueTask DisposeAsync()
    {
        LoadedMedium? old = Exchange(null);
        if (old is not null)
        {
            await old.RetireAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The medium for one read; a medium swapped out meanwhile is skipped for the new one.
    /// No medium at all is a medium error (the NOT READY check before the command normally catches it).</summary>
    private LoadedMedium Enter()
    {
        while (true)
        {
            LoadedMedium medium = _medium ?? throw new IOException($"cd '{Name}' has no medium.");
            if (medium.TryEnter())
            {
                return medium;
            }
        }
    }

    /// <summary>A read checked against the previous medium's size may reach a smaller one loaded since.</summary>
    private static void CheckRange(LoadedMedium medium, ulong lba, int length)
    {
        ulong blocks = (ulong)length / SectorSize;
        ulong count = medium.Backstore.BlockCount;
        if (lba > count || blocks > count - lba)
        {
            throw new IOException("the read is beyond the end of the medium now loaded.");
        }
    }

    private static void CheckMedium(IBackstore medium)
    {
        if (medium.BlockSize != SectorSize)
        {
            throw new ArgumentException($"a CD/DVD medium has {SectorSize}-byte blocks, not {medium.BlockSize}.", nameof(medium));
        }
    }
}
