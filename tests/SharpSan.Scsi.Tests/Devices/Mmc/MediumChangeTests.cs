namespace SharpSan.Scsi.Tests.Devices.Mmc;

/// <summary>Loading, ejecting and locking the medium: the administrator's changes, START STOP UNIT and
/// PREVENT ALLOW MEDIUM REMOVAL, with the unit attentions and media events every nexus sees.</summary>
public sealed class MediumChangeTests
{
    private const string Tur = "000000000000";
    private const string Eject = "1B 00 00 00 02 00";
    private const string Load = "1B 00 00 00 03 00";
    private const string Prevent = "1E 00 00 00 01 00";
    private const string Allow = "1E 00 00 00 00 00";
    private const string MediaEvent = "4A 01 00 00 10 00 00 0008 00";

    private static readonly ItNexus A = Harness.NexusA;
    private static readonly ItNexus B = Harness.NexusB;

    /// <summary>Both nexuses have addressed the unit, as logged-in initiators have.</summary>
    private static CdDrive Drive(MemoryBackstore? medium)
    {
        var drive = new CdDrive(medium);
        drive.Run(Tur, A);
        drive.Run(Tur, B);
        drive.Run(MediaEvent, A);
        drive.Run(MediaEvent, B);
        return drive;
    }

    [Fact]
    public async Task An_administrator_eject_reaches_every_nexus_as_a_unit_attention_then_not_ready()
    {
        CdDrive drive = Drive(CdDrive.Image());
        await drive.Unit.ChangeMediumAsync(null);

        foreach (ItNexus nexus in new[] { A, B })
        {
            drive.Run(Tur, nexus).AssertSense(SenseKey.UnitAttention, 0x3A, 0x00);
            drive.Run(Tur, nexus).AssertSense(SenseKey.NotReady, 0x3A, 0x02);
            Assert.Equal(CdDrive.Hex("0006 04 10 03 01 0000"), drive.Run(MediaEvent, nexus).Data); // removal, tray open
        }

        Assert.True(drive.Medium!.Disposed);
        Assert.False(drive.Tray.HasMedium);
    }

    [Fact]
    public async Task Loading_another_image_keeps_the_unit_and_serves_the_new_data()
    {
        CdDrive drive = Drive(CdDrive.Image(600, seed: 1));
        MemoryBackstore second = CdDrive.Image(900, seed: 2);
        await drive.Unit.ChangeMediumAsync(second);

        drive.Run(Tur, A).AssertSense(SenseKey.UnitAttention, 0x3A, 0x00);
        drive.Run(Tur, A).AssertSense(SenseKey.UnitAttention, 0x28, 0x00);
        drive.Run(Tur, A).AssertGood();
        Result capacity = drive.Run("25 00 00000000 00 00 00 00", A);
        Assert.Equal(CdDrive.Hex("00000383 00000800"), capacity.Data);
        Result read = drive.Harness.Run(Harness.Read10(5, 1), nexus: A);
        Assert.Equal(second.Data.AsSpan(5 * 2048, 2048).ToArray(), read.Data);
        Assert.Equal(CdDrive.Hex("0006 04 10 02 02 0000"), drive.Run(MediaEvent, A).Data); // new media, present
        Assert.True(drive.Medium!.Disposed);
        Assert.False(second.Disposed);
    }

    [Fact]
    public async Task Loading_into_an_empty_tray_makes_the_drive_ready()
    {
        CdDrive drive = Drive(null);
        drive.Run(Tur, A).AssertSense(SenseKey.NotReady, 0x3A, 0x02);
        await drive.Unit.ChangeMediumAsync(CdDrive.Image());
        drive.Run(Tur, A).AssertSense(SenseKey.UnitAttention, 0x28, 0x00);
        drive.Run(Tur, A).AssertGood();
        Assert.Equal(0x0008, System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(drive.Run("46 01 0000 00 00 00 0010 00", A).Data.AsSpan(6)));
    }

    [Fact]
    public void Start_stop_unit_opens_and_closes_the_tray()
    {
        CdDrive drive = Drive(CdDrive.Image());
        drive.Run(Eject, A).AssertGood();
        drive.Run(Tur, A).AssertSense(SenseKey.NotReady, 0x3A, 0x02);
        drive.Run(Tur, B).AssertSense(SenseKey.NotReady, 0x3A, 0x02);
        Assert.Equal(CdDrive.Hex("0006 04 10 03 01 0000"), drive.Run(MediaEvent, B).Data);

        drive.Run(Load, A).AssertGood();
        drive.Run(Tur, A).AssertGood();                                       // the nexus that closed it knows
        drive.Run(Tur, B).AssertSense(SenseKey.UnitAttention, 0x28, 0x00);    // the other one is told
        drive.Run(Tur, B).AssertGood();
        Assert.True(drive.Tray.HasMedium);
    }

    [Fact]
    public void Closing_an_empty_tray_reports_tray_closed()
    {
        CdDrive drive = Drive(null);
        drive.Run(Load, A).AssertGood();
        drive.Run(Tur, A).AssertSense(SenseKey.NotReady, 0x3A, 0x01);
    }

    [Fact]
    public void Prevention_by_any_nexus_refuses_an_eject_until_allowed()
    {
        CdDrive drive = Drive(CdDrive.Image());
        drive.Run(Prevent, A).AssertGood();
        Assert.True(drive.Unit.MediumRemovalPrevented);
        drive.Run(Eject, B).AssertSense(SenseKey.IllegalRequest, 0x53, 0x02);
        drive.Run(Eject, A).AssertSense(SenseKey.IllegalRequest, 0x53, 0x02);
        drive.Run(Tur, A).AssertGood();

        drive.Run(Allow, A).AssertGood();
        drive.Run(Eject, B).AssertGood();
        drive.Run(Tur, A).AssertSense(SenseKey.NotReady, 0x3A, 0x02);
    }

    [Fact]
    public void Prevention_without_a_ready_medium_is_reported_as_not_ready()
    {
        CdDrive drive = Drive(null);
        drive.Run(Prevent, A).AssertGood();
        drive.Run(Eject, A).AssertSense(SenseKey.NotReady, 0x53, 0x02);
    }

    [Fact]
    public void A_reset_or_the_loss_of_the_nexus_ends_its_prevention()
    {
        CdDrive drive = Drive(CdDrive.Image());
        drive.Run(Prevent, A).AssertGood();
        drive.Unit.NexusLost(A);
        Assert.False(drive.Unit.MediumRemovalPrevented);

        drive.Run(Prevent, B).AssertGood();
        drive.Unit.Reset(null);
        Assert.False(drive.Unit.MediumRemovalPrevented);
    }

    [Fact]
    public async Task Status_commands_run_with_a_unit_attention_pending_and_leave_it_there()
    {
        CdDrive drive = Drive(CdDrive.Image());
        await drive.Unit.ChangeMediumAsync(CdDrive.Image(700, seed: 3));
        drive.Run("46 00 0000 00 00 00 0010 00", A).AssertGood();
        drive.Run(MediaEvent, A).AssertGood();
        drive.Run(Tur, A).AssertSense(SenseKey.UnitAttention, 0x3A, 0x00);
    }

    [Fact]
    public async Task A_read_in_flight_keeps_its_medium_open_until_it_completes()
    {
        var gated = new GatedImage(CdDrive.Image());
        var drive = new CdDrive(null);
        await drive.Unit.ChangeMediumAsync(gated);
        var task = new ScsiTask { Nexus = A, LunMap = drive.Harness.Map, CdbLength = 10, ExpectedDirection = DataDirection.Read, ExpectedDataTransferLength = 2048 };
        Harness.Read10(0, 1).CopyTo(task.CdbBuffer);
        Assert.True(ScsiDispatcher.Prepare(task));
        task.Buffer = new byte[2048];
        Task read = ScsiDispatcher.ExecuteAsync(task, CancellationToken.None).AsTask();

        Task eject = drive.Unit.ChangeMediumAsync(null);
        Assert.False(eject.IsCompleted);
        Assert.False(gated.Disposed);

        gated.Release();
        await read;
        await eject;
        Assert.Equal(ScsiStatus.Good, task.Status);
        Assert.True(gated.Disposed);
    }

    /// <summary>An image whose reads wait until the test releases them.</summary>
    private sealed class GatedImage(MemoryBackstore inner) : IBackstore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed { get; private set; }
        public string Name => inner.Name;
        public string Plugin => inner.Plugin;
        public int BlockSize => inner.BlockSize;
        public ulong BlockCount => inner.BlockCount;
        public bool WriteCacheEnabled => false;
        public bool ReadOnly => true;
        public BackstoreCapabilities Capabilities => inner.Capabilities;

        public void Release() => _gate.TrySetResult();

        public async ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
        {
            await _gate.Task;
            await inner.ReadAsync(lba, buffer, cancellationToken);
        }

        public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken) =>
            throw new IOException("read-only");

        public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return default;
        }
    }
}
