using SharpSan.Config;
using SharpSan.Initiator;
using SharpSan.Scsi;

namespace SharpSan.Daemon.Tests;

/// <summary>A session logged in to a cd while the administrator loads another image and ejects it:
/// the session stays logged in and sees the change as MMC says, through unit attentions.</summary>
public sealed class LiveMediaChangeTests : IDisposable
{
    private const ulong CdLun = 1;
    private readonly TempDirectory _dir = new(prefix: "sharpsan-cd-");

    public void Dispose() => _dir.Dispose();

    private string Image(string name, int sectors, byte seed)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Fixtures.Pattern(sectors * 2048, seed));
        return path;
    }

    private static async Task<ScsiResult> Run(IscsiSession session, byte[] cdb, int length = 0)
    {
        var command = length == 0 ? ScsiCommand.NoData(CdLun, cdb) : ScsiCommand.Read(CdLun, cdb, new byte[length]);
        return await session.ExecuteAsync(command);
    }

    private static void AssertSense(ScsiResult result, SenseKey key, byte asc, byte ascq) =>
        Assert.Equal((ScsiResult.CheckCondition, key, asc, ascq), (result.Status, result.Sense?.SenseKey, result.Sense?.Asc, result.Sense?.Ascq));

    [Fact]
    public async Task The_session_stays_logged_in_across_a_load_and_an_eject()
    {
        string first = Image("first.iso", 16, 1);
        string second = Image("second.iso", 40, 2);
        await using var h = await TargetHarness.StartAsync(config =>
        {
            config.StorageObjects.Add(new StorageObjectConfig
            {
                Plugin = "fileio", Name = "iso1", Dev = first, BlockSize = 2048, Wwn = "6a0b1c2d-0000-4000-8000-0000000000d1",
                Device = new DeviceConfig { DeviceType = DeviceConfig.Cd },
            });
            config.Targets[0].Tpgs[0].Luns.Add(new LunConfig { Index = CdLun, StorageObject = "/backstores/fileio/iso1" });
        });
        await using var session = await h.LoginAsync();
        Assert.True((await Run(session, ScsiCdb.TestUnitReady())).IsGood);
        var unit = h.Server.Server.Topology.Targets[TargetHarness.Target1].Tpgs[0].Luns[CdLun];

        // Another image: the same unit; MEDIUM NOT PRESENT then MEDIUM MAY HAVE CHANGED, then its data.
        var next = Fixtures.Copy(h.Server.Config);
        next.StorageObjects[1].Dev = second;
        await h.Server.ApplyAsync(next);
        Assert.Same(unit, h.Server.Server.Topology.Targets[TargetHarness.Target1].Tpgs[0].Luns[CdLun]);
        AssertSense(await Run(session, ScsiCdb.TestUnitReady()), SenseKey.UnitAttention, 0x3A, 0x00);
        AssertSense(await Run(session, ScsiCdb.TestUnitReady()), SenseKey.UnitAttention, 0x28, 0x00);
        var capacity = new byte[8];
        Assert.True((await session.ExecuteAsync(ScsiCommand.Read(CdLun, ScsiCdb.ReadCapacity10(), capacity))).IsGood);
        Assert.Equal(Convert.FromHexString("0000002700000800"), capacity);
        var sector = new byte[2048];
        Assert.True((await session.ExecuteAsync(ScsiCommand.Read(CdLun, ScsiCdb.Read10(3, 1), sector))).IsGood);
        Assert.Equal(Fixtures.Pattern(40 * 2048, 2).AsSpan(3 * 2048, 2048).ToArray(), sector);

        // PREVENT ALLOW MEDIUM REMOVAL holds the medium in: the eject is refused and nothing changes.
        Assert.True((await Run(session, [0x1E, 0, 0, 0, 1, 0])).IsGood);
        var eject = Fixtures.Copy(h.Server.Config);
        eject.StorageObjects[1].Device.MediumPresent = false;
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Server.ApplyAsync(eject));
        Assert.Contains("prevents medium removal", refused.Message);
        Assert.True(h.Server.Config.StorageObjects[1].Device.MediumPresent);
        Assert.True((await Run(session, ScsiCdb.TestUnitReady())).IsGood);

        // Allowed again: ejected; the drive reports it, then NOT READY with the tray open.
        Assert.True((await Run(session, [0x1E, 0, 0, 0, 0, 0])).IsGood);
        await h.Server.ApplyAsync(eject);
        AssertSense(await Run(session, ScsiCdb.TestUnitReady()), SenseKey.UnitAttention, 0x3A, 0x00);
        AssertSense(await Run(session, ScsiCdb.TestUnitReady()), SenseKey.NotReady, 0x3A, 0x02);
        Assert.Equal(0, Fixtures.OpenDescriptors(second));
        Assert.True((await session.ExecuteAsync(ScsiCommand.Read(CdLun, ScsiCdb.Inquiry(96), new byte[96]))).IsGood);
    }
}
