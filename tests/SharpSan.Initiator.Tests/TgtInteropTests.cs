using System.Net;

namespace SharpSan.Initiator.Tests;

/// <summary>Against tgt, the reference target (skipped with a reason when tgtd is not installed).
/// Each test has its own control port.</summary>
public sealed class TgtInteropTests
{
    private static InitiatorOptions Options() => TargetHarness.LoginOptions();

    [TgtFact]
    public async Task Discovery_FindsTheTgtTarget()
    {
        await using var tgt = await TgtdProcess.StartAsync(controlPort: 21741);
        var targets = await IscsiDiscovery.SendTargetsAsync(new IPEndPoint(IPAddress.Loopback, tgt.Port), Options());
        var t = Assert.Single(targets);
        Assert.Equal(TgtdProcess.TargetName, t.TargetName);
        Assert.Contains(t.TargetAddresses, a => a.StartsWith($"127.0.0.1:{tgt.Port},", StringComparison.Ordinal));
    }

    [TgtFact]
    public async Task Login_ReadCapacity_WriteReadRoundTrip_Logout()
    {
        await using var tgt = await TgtdProcess.StartAsync(controlPort: 21742);
        var o = Options();
        o.HeaderDigest = "CRC32C,None";
        o.DataDigest = "CRC32C,None";
        await using var s = await IscsiSession.LoginAsync(new IPEndPoint(IPAddress.Loopback, tgt.Port), TgtdProcess.TargetName, o);
        // tgt answers HeaderDigest=None unless configured otherwise: either outcome is a valid negotiation.
        Assert.NotEqual(0, s.Tsih);
        var dev = await BlockDevice.OpenAsync(s, 1);
        Assert.Equal(512, dev.BlockSize);
        Assert.Equal((ulong)(32 << 20) / 512, dev.BlockCount);
        var rng = new Random(3);
        foreach (int size in new[] { 512, 4096, 65536, 1 << 20, 4 << 20 })
        {
            var data = new byte[size];
            rng.NextBytes(data);
            ulong lba = (ulong)rng.Next(0, (int)(dev.BlockCount - (ulong)(size / 512)));
            await dev.WriteAsync(lba, data);
            var back = new byte[size];
            await dev.ReadAsync(lba, back);
            Assert.True(data.AsSpan().SequenceEqual(back), $"mismatch for {size} bytes at LBA {lba}");
        }
        await dev.FlushAsync();
        await s.LogoutAsync();
    }
}
