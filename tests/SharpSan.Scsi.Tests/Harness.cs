namespace SharpSan.Scsi.Tests;

/// <summary>Plays the fabric: fills a task, Prepare, moves data, Execute, returns what would be sent.</summary>
internal sealed class Harness
{
    /// <summary>The transport the tests' nexuses run over (iSCSI's codes, SPC-4 7.6.1 and table 150).</summary>
    public static readonly ScsiTransport Transport = new(ProtocolIdentifier.Iscsi, 0x0960, "iSCSI");
    public static readonly ItNexus NexusA = new("iqn.2026-01.test:a,i,0x230000000001", "iqn.2026-11.io.sharpsan:t,t,0x0001", 1, Transport);
    public static readonly ItNexus NexusB = new("iqn.2026-01.test:b,i,0x230000000002", "iqn.2026-11.io.sharpsan:t,t,0x0001", 1, Transport);

    public static readonly LogicalUnitIdentity Identity = new("SHARPSAN", "mem0", "1.0", "8c5a2f1e-0b7d-4c3a-9e21-5d7f6a1b2c3d");

    public Harness(MemoryBackstore? backstore = null, bool writeProtected = false)
    {
        Backstore = backstore ?? new MemoryBackstore();
        Unit = new LogicalUnit(Backstore, Identity);
        Map = new TestLunMap().Add(0, Unit, writeProtected);
    }

    /// <summary>A harness over a unit built by the test (another device type, other settings) at LUN 0;
    /// <paramref name="backstore"/> is the memory behind it, when there is one.</summary>
    public Harness(LogicalUnit unit, MemoryBackstore? backstore = null)
    {
        Backstore = backstore!;
        Unit = unit;
        Map = new TestLunMap().Add(0, Unit);
    }

    public MemoryBackstore Backstore { get; }
    public LogicalUnit Unit { get; }
    public TestLunMap Map { get; }

    /// <summary>Whether the last <see cref="Run"/> with inline: true completed through TryExecuteInline.</summary>
    public bool InlineCompleted { get; private set; }

    public Result Run(byte[] cdb, byte[]? dataOut = null, ItNexus? nexus = null, ulong lun = 0, uint? edtl = null, bool deliverShort = false, bool inline = false)
    {
        var task = new ScsiTask
        {
            Nexus = nexus ?? NexusA,
            LunMap = Map,
            Lun = lun,
            CdbLength = cdb.Length,
        };
        cdb.CopyTo(task.CdbBuffer);
        task.ExpectedDirection = dataOut is null ? DataDirection.Read : DataDirection.Write;
        task.ExpectedDataTransferLength = edtl ?? (uint)(dataOut?.Length ?? 0x10000);

        bool prepared = ScsiDispatcher.Prepare(task);
        if (prepared)
        {
            task.Buffer = new byte[Math.Max(task.TransferLength, 1)];
            if (task.Direction == DataDirection.Write)
            {
                int length = Math.Min(Math.Min(dataOut?.Length ?? 0, task.TransferLength), (int)task.ExpectedDataTransferLength);
                if (deliverShort)
                {
                    length /= 2;
                }

                dataOut.AsSpan(0, length).CopyTo(task.Buffer);
                task.DataLength = length;
            }

            // A fabric tries the non-blocking path first and falls back to ExecuteAsync when refused.
            InlineCompleted = inline && ScsiDispatcher.TryExecuteInline(task);
            if (!InlineCompleted)
            {
                ScsiDispatcher.ExecuteAsync(task, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }

        byte[] data = task.Direction == DataDirection.Read && task.Buffer is not null
            ? task.Buffer.AsSpan(0, task.DataLength).ToArray()
            : [];
        return new Result(prepared, task.Status, task.Sense.ToArray(), data, task.TransferLength, task.Direction);
    }

    public static byte[] Cdb(params int[] bytes)
    {
        var cdb = new byte[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            cdb[i] = (byte)bytes[i];
        }

        return cdb;
    }

    public static byte[] Read10(uint lba, ushort blocks, byte flags = 0) =>
        Cdb(0x28, flags, (int)(lba >> 24), (int)(lba >> 16) & 0xFF, (int)(lba >> 8) & 0xFF, (int)lba & 0xFF, 0, blocks >> 8, blocks & 0xFF, 0);

    public static byte[] Write10(uint lba, ushort blocks, byte flags = 0) =>
        Cdb(0x2A, flags, (int)(lba >> 24), (int)(lba >> 16) & 0xFF, (int)(lba >> 8) & 0xFF, (int)lba & 0xFF, 0, blocks >> 8, blocks & 0xFF, 0);

    public static byte[] Cdb16(byte opcode, byte flags, ulong lba, uint blocks)
    {
        var cdb = new byte[16];
        cdb[0] = opcode;
        cdb[1] = flags;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    public static byte[] Cdb12(byte opcode, byte flags, uint lba, uint blocks)
    {
        var cdb = new byte[12];
        cdb[0] = opcode;
        cdb[1] = flags;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), blocks);
        return cdb;
    }

    public static byte[] Pattern(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
