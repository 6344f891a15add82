using System.Buffers.Binary;
using SharpSan.Config;
using SharpSan.Scsi;
using SharpSan.Target;

namespace SharpSan.Daemon.Tests;

/// <summary>APTPL persistent reservations (SPC-4 5.13.5): the aptpl_&lt;wwn&gt; file format, its atomic
/// private writes, and a restart of the target that keeps them.</summary>
public sealed class AptplTests : IDisposable
{
    private readonly TempDirectory _dir = new(prefix: "sharpsan-aptpl-");

    public void Dispose() => _dir.Dispose();

    private static readonly Registration A = new("iqn.2026-01.test:a", "230000000001", "iqn.t,t,0x0001", 1, false, 0xA);
    private static readonly Registration B = new("iqn.2026-01.test:b", null, "", 0, true, ulong.MaxValue);

    [Fact]
    public void The_file_keeps_registrations_holder_and_type()
    {
        var state = new PersistentReservationState(7, [A, B], A, PersistentReservationType.WriteExclusiveRegistrantsOnly, aptpl: true);
        string text = AptplFile.Format(state);
        Assert.Contains("PR_REG_START: 0\ninitiator_fabric=iSCSI\ninitiator_node=iqn.2026-01.test:a\ninitiator_sid=230000000001\nsa_res_key=10\nres_holder=1\nres_type=05\n", text);

        var read = AptplFile.Parse(text);
        Assert.Equal(0u, read.Generation); // SPC-4 6.15.2: zero after a power on
        Assert.True(read.Aptpl);
        Assert.Equal(PersistentReservationType.WriteExclusiveRegistrantsOnly, read.Type);
        Assert.Equal([A.ToString(), B.ToString()], read.Registrations.Select(r => r.ToString()));
        Assert.Same(read.Registrations[0], read.Holder);
        Assert.True(read.Registrations[1].AllTargetPorts);
        Assert.Null(read.Registrations[1].Isid);

        var allRegistrants = AptplFile.Parse(AptplFile.Format(new PersistentReservationState(1, [A, B], null, PersistentReservationType.ExclusiveAccessAllRegistrants, true)));
        Assert.Equal(PersistentReservationType.ExclusiveAccessAllRegistrants, allRegistrants.Type);
    }

    [Theory]
    [InlineData("initiator_node=x\n", "outside a registration")]
    [InlineData("PR_REG_START: 0\ninitiator_node=x\nport_rtpi=1\nPR_REG_END: 0\n", "no sa_res_key")]
    [InlineData("PR_REG_START: 0\ninitiator_node=x\nsa_res_key=1\nport_rtpi=1\n", "no PR_REG_END")]
    [InlineData("PR_REG_START: 0\ninitiator_node=x\nsa_res_key=1\nport_rtpi=99999\nPR_REG_END: 0\n", "out of range")]
    public void A_damaged_file_is_refused_with_the_line(string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => AptplFile.Parse(text));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task The_store_writes_a_private_file_atomically_and_removes_it_when_aptpl_ends()
    {
        var store = AptplFileStore.For(_dir.Path, "6a0b1c2d-0000/4000");
        Assert.Equal(_dir.File("pr/aptpl_6a0b1c2d-0000_4000"), store.Path);
        Assert.Null(store.Load());

        await store.SaveAsync(new PersistentReservationState(1, [A], A, PersistentReservationType.ExclusiveAccess, true), CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        Assert.Equal([Path.GetFileName(store.Path)], Directory.GetFiles(Path.GetDirectoryName(store.Path)!).Select(Path.GetFileName));
        Assert.Equal(PersistentReservationType.ExclusiveAccess, store.Load()!.Type);

        await store.SaveAsync(null, CancellationToken.None);
        Assert.False(File.Exists(store.Path));

        File.WriteAllText(store.Path, "garbage\n");
        var ex = Assert.Throws<IOException>(store.Load);
        Assert.Contains(store.Path, ex.Message);
    }

    [Fact]
    public async Task A_restarted_target_keeps_the_aptpl_registrations_and_reservation()
    {
        var setup = new TargetSetup { File = _dir.File("lun0.img"), StorageName = "disk0", Size = 1 << 20 };
        string state = _dir.File("state");
        int port = TargetHarness.FreePort();
        var config = TargetHarness.BasicConfig(port, setup);

        ulong isid;
        await using (var host = await TargetHost.StartAsync(config, new TargetOptions(), state))
        {
            using var c = new RawInitiator(port);
            isid = c.Isid;
            Assert.Equal(0, c.Login(RawInitiator.DefaultInitiator, TargetHarness.Target1, digests: false));
            Assert.Equal(0, ProutStatus(c, 0x06, 0, key: 0, serviceActionKey: 0x1234, aptpl: true)); // REGISTER AND IGNORE, APTPL
            Assert.Equal(0, ProutStatus(c, 0x01, 3, key: 0x1234));                                   // RESERVE, Exclusive Access
        }

        Assert.True(File.Exists(Path.Combine(state, "pr", "aptpl_" + setup.Wwn)));
        port = TargetHarness.FreePort();
        config = TargetHarness.BasicConfig(port, setup);
        await using (var host = await TargetHost.StartAsync(config, new TargetOptions(), state))
        {
            using var other = new RawInitiator(port);
            Assert.Equal(0, other.Login("iqn.2026-01.test:other", TargetHarness.Target1, digests: false));
            var (keys, _) = other.Execute(Prin(0x00), 64, read: true, write: false);
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(keys));          // PRgeneration zero after power on
            Assert.Equal(8u, BinaryPrimitives.ReadUInt32BigEndian(keys.AsSpan(4)));
            Assert.Equal(0x1234UL, BinaryPrimitives.ReadUInt64BigEndian(keys.AsSpan(8)));
            var (reservation, _) = other.Execute(Prin(0x01), 64, read: true, write: false);
            Assert.Equal((0x1234UL, (byte)3), (BinaryPrimitives.ReadUInt64BigEndian(reservation.AsSpan(8)), reservation[21]));
            Assert.Equal(0x18, other.Read10(0, 512).Final.Byte3); // RESERVATION CONFLICT for the unregistered initiator

            using var owner = new RawInitiator(port) { Isid = isid }; // the same I_T nexus as before the restart
            Assert.Equal(0, owner.Login(RawInitiator.DefaultInitiator, TargetHarness.Target1, digests: false));
            Assert.Equal(0, owner.Read10(0, 512).Final.Byte3);
        }
    }

    private static byte[] Prin(byte serviceAction) => [0x5E, serviceAction, 0, 0, 0, 0, 0, 0, 64, 0];

    private static byte ProutStatus(RawInitiator c, byte serviceAction, byte type, ulong key, ulong serviceActionKey = 0, bool aptpl = false)
    {
        var list = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(list, key);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), serviceActionKey);
        list[20] = (byte)(aptpl ? 1 : 0);
        byte[] cdb = [0x5F, serviceAction, type, 0, 0, 0, 0, 0, 24, 0];
        return c.Execute(cdb, 24, read: false, write: true, list).Final.Byte3;
    }
}
