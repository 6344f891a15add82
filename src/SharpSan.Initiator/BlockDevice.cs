using System.Buffers.Binary;
using System.Text;

namespace SharpSan.Initiator;

/// <summary>
/// A SCSI block device (SBC-3) on one LUN of a session: geometry from READ CAPACITY, identity from
/// INQUIRY, and block I/O split at the target's Block Limits. UNIT ATTENTION is retried a few times;
/// other failures raise <see cref="ScsiCommandException"/> with the decoded sense.
/// </summary>
public sealed class BlockDevice
{
    private const int UnitAttentionRetries = 5;
    private readonly IscsiSession _session;

    private BlockDevice(IscsiSession session, ulong lun)
    {
        _session = session;
        Lun = lun;
    }

    public ulong Lun { get; }
    public int BlockSize { get; private set; }
    public ulong BlockCount { get; private set; }
    public long SizeBytes => (long)BlockCount * BlockSize;
    public string Vendor { get; private set; } = "";
    public string Product { get; private set; } = "";
    public string Revision { get; private set; } = "";
    /// <summary>Unit serial number (VPD page 0x80); empty when the target has none.</summary>
    public string Serial { get; private set; } = "";
    /// <summary>Blocks per command: the Block Limits MAXIMUM TRANSFER LENGTH (VPD 0xB0), capped at 8 MiB.</summary>
    public uint MaxTransferBlocks { get; private set; }
    /// <summary>LBPU (VPD 0xB2): the target accepts UNMAP.</summary>
    public bool SupportsUnmap { get; private set; }
    /// <summary>LBPRZ (READ CAPACITY(16) byte 14, or VPD 0xB2 LBPRZ 001b): unmapped blocks read back as
    /// zeros (SBC-3 4.7.4.5). Without it an unmapped block may read as anything, old data included.</summary>
    public bool UnmappedReadsZero { get; private set; }
    public bool WriteProtected { get; private set; }
    /// <summary>TPGS of the standard INQUIRY data (SPC-4 6.6.2): 0 no ALUA, 1 implicit, 2 explicit, 3 both.</summary>
    public byte Tpgs { get; private set; }
    /// <summary>The logical unit's name and this path's port and port group (VPD page 83h).</summary>
    public DeviceIdentification Identification { get; private set; } = new(null, null, null);
    /// <summary>The session this device's commands go through (one path of a multipath device).</summary>
    public IscsiSession Session => _session;

    /// <summary>Called with every UNIT ATTENTION a command of this device received (before it is
    /// retried): a multipath device re-reads the port groups on ASYMMETRIC ACCESS STATE CHANGED (2A/06).</summary>
    public Action<SharpSan.Scsi.SenseData>? UnitAttentionObserved { get; set; }

    /// <summary>INQUIRY (standard, VPD 0x00/0x80/0xB0/0xB2) and READ CAPACITY(16), falling back to (10).</summary>
    public static async Task<BlockDevice> OpenAsync(IscsiSession session, ulong lun, CancellationToken cancellationToken = default)
    {
        var dev = new BlockDevice(session, lun);
        var std = new byte[96];
        var r = await dev.RunAsync("INQUIRY", ScsiCommand.Read(lun, ScsiCdb.Inquiry(std.Length), std), cancellationToken);
        if ((std[0] & 0x1F) != 0x00)
            throw new NotSupportedException($"LUN {lun} is peripheral device type 0x{std[0] & 0x1F:x2}, not a block device");
        dev.Vendor = Ascii(std.AsSpan(8, 8));
        dev.Product = Ascii(std.AsSpan(16, 16));
        dev.Revision = Ascii(std.AsSpan(32, 4));
        dev.Tpgs = (byte)((std[5] >> 4) & 0x3);

        var pages = await dev.TryVpdAsync(0x00, cancellationToken);
        bool Has(byte page) => pages is not null && pages.Length > 4 && pages.AsSpan(4, Math.Min(pages.Length - 4, pages[3])).IndexOf(page) >= 0;
        if (Has(0x80) && await dev.TryVpdAsync(0x80, cancellationToken) is { Length: > 4 } serial)
            dev.Serial = Ascii(serial.AsSpan(4, Math.Min(serial.Length - 4, serial[3])));
        if (Has(0x83) && await dev.TryVpdAsync(0x83, cancellationToken) is { Length: > 4 } ids)
            dev.Identification = DeviceIdentification.Parse(ids);
        await dev.ReadCapacityAsync(cancellationToken);

        uint maxBlocks = 0;
        if (Has(0xB0) && await dev.TryVpdAsync(0xB0, cancellationToken) is { Length: >= 12 } limits)
            maxBlocks = BinaryPrimitives.ReadUInt32BigEndian(limits.AsSpan(8));
        uint cap = (uint)(8 * 1024 * 1024 / dev.BlockSize);
        dev.MaxTransferBlocks = maxBlocks == 0 ? cap : Math.Min(maxBlocks, cap);
        if (Has(0xB2) && await dev.TryVpdAsync(0xB2, cancellationToken) is { Length: >= 6 } lbp)
        {
            dev.SupportsUnmap = (lbp[5] & 0x80) != 0;
            dev.UnmappedReadsZero |= (lbp[5] & 0x1C) == 0x04; // SBC-4 6.6.6: LBPRZ field 001b (SBC-3: the LBPRZ bit)
        }
        return dev;
    }

    private async Task ReadCapacityAsync(CancellationToken ct)
    {
        var cap16 = new byte[32];
        var r = await ExecuteRetryingAsync(ScsiCommand.Read(Lun, ScsiCdb.ReadCapacity16(cap16.Length), cap16), ct);
        if (r.IsGood && r.BytesTransferred >= 12)
        {
            BlockCount = BinaryPrimitives.ReadUInt64BigEndian(cap16) + 1;
            BlockSize = (int)BinaryPrimitives.ReadUInt32BigEndian(cap16.AsSpan(8));
            UnmappedReadsZero = r.BytesTransferred > 14 && (cap16[14] & 0x40) != 0; // SBC-3 5.16.2: LBPRZ
        }
        else
        {
            // SBC-3 §5.15: READ CAPACITY(10); 0xFFFFFFFF means "use the 16-byte form", which failed.
            var cap10 = new byte[8];
            await RunAsync("READ CAPACITY(10)", ScsiCommand.Read(Lun, ScsiCdb.ReadCapacity10(), cap10), ct);
            BlockCount = (ulong)BinaryPrimitives.ReadUInt32BigEndian(cap10) + 1;
            BlockSize = (int)BinaryPrimitives.ReadUInt32BigEndian(cap10.AsSpan(4));
        }
        if (BlockSize is < 512 or > 65536) throw new NotSupportedException($"LUN {Lun} reports a block size of {BlockSize} bytes");
    }

    private async Task<byte[]?> TryVpdAsync(byte page, CancellationToken ct)
    {
        var buffer = new byte[255];
        var r = await ExecuteRetryingAsync(ScsiCommand.Read(Lun, ScsiCdb.Inquiry(buffer.Length, page), buffer), ct);
        return r.IsGood && r.BytesTransferred >= 4 && buffer[1] == page ? buffer[..r.BytesTransferred] : null;
    }

    /// <summary>Reads <c>buffer.Length / BlockSize</c> blocks starting at <paramref name="lba"/>.</summary>
    public async Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int blocks = CheckLength(buffer.Length);
        for (int done = 0; done < blocks;)
        {
            int n = (int)Math.Min((uint)(blocks - done), MaxTransferBlocks);
            var slice = buffer.Slice(done * BlockSize, n * BlockSize);
            await RunAsync("READ(16)", ScsiCommand.Read(Lun, ScsiCdb.Read16(lba + (ulong)done, (uint)n), slice), cancellationToken);
            done += n;
        }
    }

    /// <summary>Writes whole blocks at <paramref name="lba"/>; <paramref name="fua"/> forces them to the medium.</summary>
    public async Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua = false, CancellationToken cancellationToken = default)
    {
        int blocks = CheckLength(data.Length);
        for (int done = 0; done < blocks;)
        {
            int n = (int)Math.Min((uint)(blocks - done), MaxTransferBlocks);
            var slice = data.Slice(done * BlockSize, n * BlockSize);
            await RunAsync("WRITE(16)", ScsiCommand.Write(Lun, ScsiCdb.Write16(lba + (ulong)done, (uint)n, fua), slice), cancellationToken);
            done += n;
        }
    }

    /// <summary>SYNCHRONIZE CACHE(16) over the whole medium.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
        => RunAsync("SYNCHRONIZE CACHE(16)", ScsiCommand.NoData(Lun, ScsiCdb.SynchronizeCache16()), cancellationToken);

    /// <summary>UNMAP (SBC-3 §5.28) of <paramref name="blockCount"/> blocks at <paramref name="lba"/>.</summary>
    public async Task UnmapAsync(ulong lba, uint blockCount, CancellationToken cancellationToken = default)
    {
        if (!SupportsUnmap)
            throw new NotSupportedException($"LUN {Lun} does not support UNMAP (the target does not report LBPU in VPD page 0xB2)");
        var list = new byte[24];
        BinaryPrimitives.WriteUInt16BigEndian(list, 22);           // UNMAP DATA LENGTH
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), 16); // BLOCK DESCRIPTOR DATA LENGTH
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), lba);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(16), blockCount);
        await RunAsync("UNMAP", ScsiCommand.Write(Lun, ScsiCdb.Unmap(list.Length), list), cancellationToken);
    }

    /// <summary>REPORT TARGET PORT GROUPS (SPC-4 6.36) through this path: every group's state.</summary>
    public async Task<IReadOnlyList<TargetPortGroupDescriptor>> ReportTargetPortGroupsAsync(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[1024];
        var r = await RunAsync("REPORT TARGET PORT GROUPS", ScsiCommand.Read(Lun, ScsiCdb.ReportTargetPortGroups(buffer.Length), buffer), cancellationToken);
        return TargetPortGroupDescriptor.ParseList(buffer.AsSpan(0, r.BytesTransferred));
    }

    private int CheckLength(int bytes)
    {
        if (bytes % BlockSize != 0) throw new ArgumentException($"the length {bytes} is not a multiple of the block size {BlockSize}");
        return bytes / BlockSize;
    }

    /// <summary>Executes, retrying UNIT ATTENTION, and throws on anything but GOOD.</summary>
    private async Task<ScsiResult> RunAsync(string operation, ScsiCommand command, CancellationToken ct)
    {
        var r = await ExecuteRetryingAsync(command, ct);
        if (!r.IsGood) throw new ScsiCommandException(operation, r);
        return r;
    }

    private async Task<ScsiResult> ExecuteRetryingAsync(ScsiCommand command, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var r = await _session.ExecuteAsync(command, ct);
            // SAM-5 §5.14: a unit attention (reset, capacity change...) is reported once; try again.
            if (r.Status == ScsiResult.CheckCondition && r.Sense is { SenseKey: SharpSan.Scsi.SenseKey.UnitAttention } ua)
            {
                UnitAttentionObserved?.Invoke(ua);
                if (attempt < UnitAttentionRetries) continue;
            }
            return r;
        }
    }

    private static string Ascii(ReadOnlySpan<byte> b) => Encoding.ASCII.GetString(b).TrimEnd(' ', '\0');
}
