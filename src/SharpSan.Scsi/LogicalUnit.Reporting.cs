using static SharpSan.Scsi.UnitAttentionCodes;
using SharpSan.Scsi.Reporting;

namespace SharpSan.Scsi;

// What the reporting commands read of a logical unit: its device clock (REPORT/SET TIMESTAMP, SPC-4
// 5.2) and its LBA mapping resources (LOGICAL BLOCK PROVISIONING log page, SBC-3).
public sealed partial class LogicalUnit
{
    /// <summary>
    /// The backstore's capacity changed (a resize by the administrator): every nexus hears of it through
    /// CAPACITY DATA HAS CHANGED (SPC-4 5.14), so the initiator reads the capacity again.
    /// For the resize path to call once the backstore reports its new <see cref="IBackstore.BlockCount"/>.
    /// </summary>
    public void CapacityChanged() => EstablishUnitAttention(null, UaCapacityDataHasChanged);

    /// <summary>The device server's timestamp.</summary>
    internal DeviceClock Clock { get; } = new();

    /// <summary>SET TIMESTAMP from <paramref name="changedBy"/>: the other nexuses hear of it.</summary>
    internal void SetTimestamp(ulong timestamp, ItNexus changedBy)
    {
        Clock.Set(timestamp);
        EstablishUnitAttention(changedBy, UaTimestampChanged);
    }

    /// <summary>
    /// Used and available LBA mapping resources in logical blocks: what a thin backstore
    /// (<see cref="IProvisioningStatus"/>) reports mapped, else every block (fully provisioned: nothing
    /// more is available).
    /// </summary>
    internal void GetMappingResources(out ulong used, out ulong available)
    {
        ulong capacity = Backstore.BlockCount;
        if (Backstore is IProvisioningStatus thin && thin.TryGetMappedBlockCount(out ulong mapped))
        {
            used = Math.Min(mapped, capacity);
            available = capacity - used;
            return;
        }

        used = capacity;
        available = 0;
    }
}
