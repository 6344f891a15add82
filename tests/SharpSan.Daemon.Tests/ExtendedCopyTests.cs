using System.Buffers.Binary;
using SharpSan.Config;

namespace SharpSan.Daemon.Tests;

/// <summary>EXTENDED COPY between logical units of two targets served by one daemon (SPC-4 6.4): the
/// initiator learns each unit's NAA designator from VPD page 83h over its sessions, then one command
/// to the first target copies into the second target's unit inside the daemon.</summary>
public sealed class ExtendedCopyTests : IDisposable
{
    private readonly TempDirectory _dir = new(prefix: "sharpsan-xcopy-");

    public void Dispose() => _dir.Dispose();

    /// <summary>A second target on the same portal with LUN 0 on ramdisk rd2.</summary>
    private static void AddSecondTarget(SanConfig config, int port)
    {
        config.StorageObjects.Add(Fixtures.Ramdisk("rd2", 4 << 20, "7b1c2d3e-5555-4000-8000-0000000000c2"));
        var t2 = TargetHarness.AddTarget(config, Fixtures.Target2, port);
        t2.Tpgs[0].Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/ramdisk/rd2" });
    }

    [Fact]
    public async Task A_copy_sent_to_one_target_writes_a_unit_of_another_target()
    {
        await using var h = await TargetHarness.StartAsync(
            AddSecondTarget,
            setup: new TargetSetup { File = _dir.File("disk1.img"), StorageName = "disk1", Size = 4 << 20 });
        var source = h.Server.Server.Topology.Targets[Fixtures.Target1].Tpgs[0].Luns[0];
        var destination = h.Server.Server.Topology.Targets[Fixtures.Target2].Tpgs[0].Luns[0];
        byte[] pattern = Fixtures.Pattern(600 * 512, 11);
        await Fixtures.WriteAsync(source, 100, pattern);

        using var one = new RawInitiator(h.Port);
        Assert.Equal(0, one.Login(TargetHarness.Initiator, Fixtures.Target1, digests: false));
        using var two = new RawInitiator(h.Port);
        Assert.Equal(0, two.Login(TargetHarness.Initiator, Fixtures.Target2, digests: false));

        byte[] list = ParameterList(listId: 3, Naa(one), Naa(two), blocks: 600, sourceLba: 100, destinationLba: 7);
        var (_, response) = one.Execute(ExtendedCopyCdb(list.Length), (uint)list.Length, read: false, write: true, list);
        Assert.True(response.Opcode == SharpSan.Protocol.Opcode.ScsiResponse, response.ToString());
        Assert.Equal(0, response.ScsiResponse.Status);

        Assert.Equal(pattern, await Fixtures.ReadAsync(destination, 7, pattern.Length));
        var (data, _) = two.Read10(7, pattern.Length);
        Assert.Equal(pattern, data);

        // RECEIVE COPY RESULTS, COPY STATUS: completed, one segment, 600 blocks of bytes.
        var (status, _) = one.Execute(ReceiveCopyResultsCdb(listId: 3), 12, read: true, write: false);
        Assert.Equal(0x01, status[4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(status.AsSpan(5)));
        Assert.Equal((uint)pattern.Length, BinaryPrimitives.ReadUInt32BigEndian(status.AsSpan(8)));
    }

    [Fact]
    public async Task A_unit_the_daemon_no_longer_serves_is_not_reachable()
    {
        await using var h = await TargetHarness.StartAsync(
            AddSecondTarget);
        using var one = new RawInitiator(h.Port);
        Assert.Equal(0, one.Login(TargetHarness.Initiator, Fixtures.Target1, digests: false));
        using var two = new RawInitiator(h.Port);
        Assert.Equal(0, two.Login(TargetHarness.Initiator, Fixtures.Target2, digests: false));
        byte[] gone = Naa(two);

        var next = Fixtures.Copy(h.Server.Config);
        next.Targets.RemoveAll(t => t.Wwn == Fixtures.Target2);
        next.StorageObjects.RemoveAll(so => so.Name == "rd2");
        await h.Server.ApplyAsync(next);

        byte[] list = ParameterList(listId: 1, Naa(one), gone, blocks: 8, sourceLba: 0, destinationLba: 0);
        var (_, response) = one.Execute(ExtendedCopyCdb(list.Length), (uint)list.Length, read: false, write: true, list);
        Assert.Equal(0x02, response.ScsiResponse.Status);
        Assert.Equal((0x0A, 0x0D, 0x02), response.Sense); // COPY ABORTED, COPY TARGET DEVICE NOT REACHABLE
    }

    /// <summary>The NAA designator (type 3, association LU) of LUN 0, from VPD page 83h.</summary>
    private static byte[] Naa(RawInitiator session)
    {
        var (page, _) = session.Execute([0x12, 0x01, 0x83, 0x00, 0xFF, 0x00], 255, read: true, write: false);
        for (int offset = 4; offset + 4 <= page.Length;)
        {
            int length = page[offset + 3];
            if ((page[offset + 1] & 0x3F) == 0x03)
            {
                return page[(offset + 4)..(offset + 4 + length)];
            }

            offset += 4 + length;
        }

        throw new InvalidOperationException("no NAA designator in VPD page 83h");
    }

    /// <summary>LID1 parameter list: two identification CSCD descriptors (E4h) and one block to block
    /// segment from the first to the second (SPC-4 6.4.3, 6.4.5.2, 6.4.6.5).</summary>
    private static byte[] ParameterList(byte listId, byte[] sourceNaa, byte[] destinationNaa, ushort blocks, ulong sourceLba, ulong destinationLba)
    {
        var list = new byte[16 + 64 + 28];
        list[0] = listId;
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), 64);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(8), 28);
        for (int i = 0; i < 2; i++)
        {
            Span<byte> d = list.AsSpan(16 + (32 * i), 32);
            d[0] = 0xE4;
            d[4] = 0x01;                 // binary
            d[5] = 0x03;                 // NAA, association logical unit
            d[7] = 16;
            (i == 0 ? sourceNaa : destinationNaa).CopyTo(d[8..]);
            BinaryPrimitives.WriteUInt16BigEndian(d[30..], 512); // DISK BLOCK LENGTH
        }

        Span<byte> s = list.AsSpan(16 + 64);
        s[0] = 0x02;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], 0x18);
        BinaryPrimitives.WriteUInt16BigEndian(s[6..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(s[10..], blocks);
        BinaryPrimitives.WriteUInt64BigEndian(s[12..], sourceLba);
        BinaryPrimitives.WriteUInt64BigEndian(s[20..], destinationLba);
        return list;
    }

    private static byte[] ExtendedCopyCdb(int length)
    {
        var cdb = new byte[16];
        cdb[0] = 0x83;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), (uint)length);
        return cdb;
    }

    private static byte[] ReceiveCopyResultsCdb(byte listId)
    {
        var cdb = new byte[16];
        cdb[0] = 0x84;
        cdb[2] = listId;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), 12);
        return cdb;
    }
}
