using System.Buffers.Binary;
using System.Net;
using SharpSan.Initiator;
using SharpSan.Scsi;

namespace SharpSan.Interop.Tests;

/// <summary>
/// COMPARE AND WRITE against the daemon from several sessions at once, the way VMware's ATS locking
/// uses it: each session reads a counter block, compares-and-writes old -> old + 1, and retries on
/// MISCOMPARE. If the compare and the write were not one atomic operation against the other sessions,
/// two of them would both see the same old value and an increment would be lost.
/// </summary>
[Collection("target")]
public sealed class AtomicTestAndSetTests
{
    private const int Sessions = 8;
    private const int IncrementsPerSession = 150;
    private const int BlockSize = 512;
    private const uint CounterLba = 4096;

    private readonly TargetFixture _f;

    public AtomicTestAndSetTests(TargetFixture fixture) => _f = fixture;

    [Fact]
    public async Task Concurrent_ats_increments_from_eight_sessions_lose_no_update()
    {
        var portal = new IPEndPoint(IPAddress.Loopback, _f.Port);
        var sessions = new IscsiSession[Sessions];
        for (int i = 0; i < Sessions; i++)
        {
            sessions[i] = await IscsiSession.LoginAsync(portal, TargetFixture.Open,
                new InitiatorOptions { InitiatorName = $"iqn.2026-11.io.sharpsan.test:ats-{i}" });
        }

        try
        {
            // A signature after the counter: the compare covers the whole block, not just the counter.
            byte[] initial = new byte[BlockSize];
            initial.AsSpan(8).Fill(0x5A);
            ScsiResult reset = await sessions[0].ExecuteAsync(ScsiCommand.Write(0, Write10(CounterLba, 1), initial));
            Assert.True(reset.IsGood, reset.ToString());

            int miscompares = 0;
            async Task Increment(IscsiSession session, int id)
            {
                byte[] current = new byte[BlockSize];
                byte[] exchange = new byte[2 * BlockSize];
                byte[] neighbour = new byte[BlockSize];
                for (int done = 0; done < IncrementsPerSession;)
                {
                    ScsiResult read = await session.ExecuteAsync(ScsiCommand.Read(0, Read10(CounterLba, 1), current));
                    Assert.True(read.IsGood, read.ToString());
                    current.CopyTo(exchange, 0);
                    current.CopyTo(exchange, BlockSize);
                    BinaryPrimitives.WriteInt64BigEndian(exchange.AsSpan(BlockSize), BinaryPrimitives.ReadInt64BigEndian(current) + 1);

                    ScsiResult caw = await session.ExecuteAsync(ScsiCommand.Write(0, CompareAndWrite(CounterLba, 1), exchange));
                    if (caw.IsGood)
                    {
                        done++;
                    }
                    else
                    {
                        // Another session got there first: MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION.
                        Assert.True(caw.Status == ScsiResult.CheckCondition && caw.Sense is { SenseKey: SenseKey.Miscompare, Asc: 0x1D }, caw.ToString());
                        Interlocked.Increment(ref miscompares);
                    }

                    // Ordinary writes from the same sessions keep the write gate busy meanwhile.
                    neighbour[0] = (byte)done;
                    ScsiResult write = await session.ExecuteAsync(ScsiCommand.Write(0, Write10(CounterLba + 1 + (uint)id, 1), neighbour));
                    Assert.True(write.IsGood, write.ToString());
                }
            }

            await Task.WhenAll(sessions.Select((s, i) => Task.Run(() => Increment(s, i)))).WaitAsync(TimeSpan.FromMinutes(3));

            byte[] final = new byte[BlockSize];
            ScsiResult check = await sessions[0].ExecuteAsync(ScsiCommand.Read(0, Read10(CounterLba, 1), final));
            Assert.True(check.IsGood, check.ToString());
            Assert.Equal(Sessions * IncrementsPerSession, BinaryPrimitives.ReadInt64BigEndian(final));
            Assert.All(final.AsSpan(8).ToArray(), b => Assert.Equal(0x5A, b));
            Assert.True(miscompares > 0, "the sessions never contended: the test did not exercise the atomicity");
        }
        finally
        {
            foreach (IscsiSession session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static byte[] Read10(uint lba, ushort blocks) => Cdb10(0x28, lba, blocks);

    private static byte[] Write10(uint lba, ushort blocks) => Cdb10(0x2A, lba, blocks);

    private static byte[] Cdb10(byte opcode, uint lba, ushort blocks)
    {
        var cdb = new byte[10];
        cdb[0] = opcode;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        return cdb;
    }

    private static byte[] CompareAndWrite(ulong lba, byte blocks)
    {
        var cdb = new byte[16];
        cdb[0] = 0x89;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        cdb[13] = blocks;
        return cdb;
    }
}
