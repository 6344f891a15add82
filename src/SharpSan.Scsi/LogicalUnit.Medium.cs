using static SharpSan.Scsi.UnitAttentionCodes;
using SharpSan.Scsi.Devices.Mmc;

namespace SharpSan.Scsi;

// The medium state of a logical unit: online (tgt's administrative state), removable medium with a
// tray that START STOP UNIT opens and closes, PREVENT ALLOW MEDIUM REMOVAL per nexus (SBC-3,
// MMC-6), and the administrator's medium changes of a CD/DVD tray. One lock; the
// per-command readiness check reads one volatile field.
public sealed partial class LogicalUnit
{
    /// <summary>GET EVENT STATUS NOTIFICATION media event codes (MMC-6, media event codes).</summary>
    internal const byte MediaEventNewMedia = 0x02;
    internal const byte MediaEventMediaRemoval = 0x03;

    private readonly object _mediumLock = new();
    private volatile bool _removable;
    private volatile bool _online;
    private volatile bool _mediumPresent;
    private volatile bool _trayOpen;
    private volatile SenseReason _notReady;

    /// <summary>RMB: the medium is removable (SPC-4 6.6.2).</summary>
    public bool Removable => _removable;

    /// <summary>tgt's administrative state: false answers NOT READY.</summary>
    public bool Online => _online;

    /// <summary>A medium is in the drive (always true but for an empty CD/DVD tray).</summary>
    public bool MediumPresent => _mediumPresent;

    /// <summary>The tray is open (START STOP UNIT with LOEJ, or an eject): the medium is not accessible.</summary>
    public bool TrayOpen => _trayOpen;

    /// <summary>Why medium access commands get NOT READY now; <see cref="SenseReason.None"/> when ready.</summary>
    internal SenseReason NotReadyReason => _notReady;

    /// <summary>True while some nexus holds PREVENT ALLOW MEDIUM REMOVAL with PREVENT set.</summary>
    public bool MediumRemovalPrevented
    {
        get
        {
            foreach (KeyValuePair<ItNexus, NexusState> pair in _nexuses)
            {
                if (pair.Value.PreventRemoval)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private void InitializeMedium(LogicalUnitSettings settings)
    {
        _removable = settings.Removable || DeviceType == PeripheralDeviceType.CdDvd;
        _online = settings.Online;
        _mediumPresent = Backstore is not MmcTray tray || tray.HasMedium;
        _trayOpen = !_mediumPresent;
        _notReady = ComputeNotReady();
    }

    /// <summary>
    /// The administrator loads <paramref name="medium"/> (an image with 2048-byte blocks) into this
    /// CD/DVD unit's tray, replacing what was there, or ejects it (null), while sessions stay logged in.
    /// Every nexus gets a unit attention: MEDIUM NOT PRESENT when a medium left, then NOT READY TO READY
    /// CHANGE, MEDIUM MAY HAVE CHANGED when one arrived (SPC-4 5.14), and a media event for
    /// GET EVENT STATUS NOTIFICATION. The previous medium is closed once the reads using it are done.
    /// An eject leaves the tray open, a load closes it. Prevention by an initiator is the caller's to
    /// check (<see cref="MediumRemovalPrevented"/>): the administrator's change always happens here.
    /// </summary>
    /// <exception cref="InvalidOperationException">The unit is not a CD/DVD drive.</exception>
    public async Task ChangeMediumAsync(IBackstore? medium)
    {
        if (Backstore is not MmcTray tray)
        {
            throw new InvalidOperationException($"{Backstore.Plugin}/{Backstore.Name} has no tray: only a cd can change its medium.");
        }

        LoadedMedium? old;
        lock (_mediumLock)
        {
            old = tray.Exchange(medium);
            _mediumPresent = medium is not null;
            _trayOpen = medium is null;
            _notReady = ComputeNotReady();
            if (old is not null)
            {
                AnnounceMediumChange(null, UaMediumNotPresent, MediaEventMediaRemoval);
            }

            if (medium is not null)
            {
                AnnounceMediumChange(null, UaMediumMayHaveChanged, MediaEventNewMedia);
            }
        }

        if (old is not null)
        {
            await old.RetireAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// START STOP UNIT with LOEJ from <paramref name="nexus"/> (SBC-3, MMC-6): START=0 opens
    /// the tray (the medium becomes inaccessible) unless a nexus prevents removal; START=1 closes it.
    /// Changes nothing on a unit whose medium is not removable. Returns the reason to refuse, or None.
    /// </summary>
    internal SenseReason LoadOrEject(ItNexus nexus, bool load)
    {
        if (!_removable)
        {
            return SenseReason.None;
        }

        lock (_mediumLock)
        {
            if (!load)
            {
                if (MediumRemovalPrevented)
                {
                    // SBC-3 / MMC-6: ILLEGAL REQUEST when the medium is there, NOT READY when not.
                    return _notReady == SenseReason.None ? SenseReason.MediumRemovalPrevented : SenseReason.NotReadyMediumRemovalPrevented;
                }

                if (!_trayOpen)
                {
                    _trayOpen = true;
                    _notReady = ComputeNotReady();
                    AnnounceMediumChange(nexus, 0, MediaEventMediaRemoval);
                }

                return SenseReason.None;
            }

            if (_trayOpen)
            {
                // A prevented medium can be neither removed nor loaded: ILLEGAL REQUEST, MEDIUM REMOVAL
                // PREVENTED (what libiscsi's PreventAllow.Eject expects of a load while PREVENT is set).
                if (MediumRemovalPrevented)
                {
                    return SenseReason.MediumRemovalPrevented;
                }

                _trayOpen = false;
                _notReady = ComputeNotReady();
                if (_notReady == SenseReason.None)
                {
                    AnnounceMediumChange(nexus, UaMediumMayHaveChanged, MediaEventNewMedia);
                }
            }

            return SenseReason.None;
        }
    }

    /// <summary>The media event <paramref name="nexus"/> has not polled yet (0: none), now consumed.</summary>
    internal byte TakeMediaEvent(ItNexus nexus)
    {
        NexusState state = Track(nexus);
        byte mediaEvent = state.MediaEvent;
        state.MediaEvent = 0;
        return mediaEvent;
    }

    /// <summary>PREVENT ALLOW MEDIUM REMOVAL from <paramref name="nexus"/>: its PREVENT bit.</summary>
    internal void SetPreventRemoval(ItNexus nexus, bool prevent) => Track(nexus).PreventRemoval = prevent;

    /// <summary>Applies the administrative online state; a unit that becomes ready raises NOT READY TO
    /// READY CHANGE for every nexus, a removable one taken offline MEDIUM NOT PRESENT.</summary>
    private void SetOnline(bool online)
    {
        lock (_mediumLock)
        {
            if (_online == online)
            {
                return;
            }

            bool wasReady = _notReady == SenseReason.None;
            _online = online;
            _notReady = ComputeNotReady();
            bool ready = _notReady == SenseReason.None;
            if (!wasReady && ready)
            {
                AnnounceMediumChange(null, UaMediumMayHaveChanged, MediaEventNewMedia);
            }
            else if (wasReady && !ready && _removable)
            {
                AnnounceMediumChange(null, UaMediumNotPresent, MediaEventMediaRemoval);
            }
        }
    }

    private void SetRemovable(bool removable)
    {
        lock (_mediumLock)
        {
            _removable = removable || DeviceType == PeripheralDeviceType.CdDvd;
            _notReady = ComputeNotReady();
        }
    }

    /// <summary>
    /// Offline: MEDIUM NOT PRESENT for a removable unit, BECOMING READY otherwise (what tgt answers).
    /// A CD/DVD tray reports MMC's tray state (MMC-6 error codes): MEDIUM NOT PRESENT - TRAY OPEN or
    /// - TRAY CLOSED; a removable disk whose "tray" was opened by START STOP UNIT, MEDIUM NOT PRESENT.
    /// </summary>
    private SenseReason ComputeNotReady()
    {
        bool mmc = DeviceType == PeripheralDeviceType.CdDvd;
        if (!_online)
        {
            return _removable ? SenseReason.MediumNotPresent : SenseReason.NotReadyBecomingReady;
        }

        if (_trayOpen)
        {
            return mmc ? SenseReason.MediumNotPresentTrayOpen : SenseReason.MediumNotPresent;
        }

        return _mediumPresent ? SenseReason.None : SenseReason.MediumNotPresentTrayClosed;
    }

    /// <summary>Queues a unit attention (0: none) and a media event for every nexus but <paramref name="except"/>;
    /// the media event goes to every nexus, since GET EVENT STATUS NOTIFICATION is how a host polls.</summary>
    private void AnnounceMediumChange(ItNexus? except, ushort unitAttention, byte mediaEvent)
    {
        foreach (KeyValuePair<ItNexus, NexusState> pair in _nexuses)
        {
            pair.Value.MediaEvent = mediaEvent;
            if (unitAttention != 0 && (except is null || !pair.Key.SameNexusAs(except)))
            {
                pair.Value.Enqueue((byte)(unitAttention >> 8), (byte)unitAttention);
            }
        }
    }
}
