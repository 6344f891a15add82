using System.Diagnostics;
using System.Globalization;
using System.Net;
using SharpSan.Initiator;

// sharpsan-bench: random reads through SharpSan.Initiator, the library's counterpart of libiscsi's
// iscsi-perf: one session, QD commands in flight, for a fixed time; prints "iops average N (M MB/s)"
// in iscsi-perf's words so the two compare line for line.
//   usage: sharpsan-bench [-t SECONDS] [-m QD] [-b BLOCKS] [-i INITIATOR] iscsi://HOST[:PORT]/IQN/LUN
int seconds = 10, depth = 32, blocks = 8;
string initiator = "iqn.2026-11.io.sharpsan:bench";
string? url = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "-t": seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "-m": depth = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "-b": blocks = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "-i": initiator = Next(); break;
        default:
            if (args[i].StartsWith("iscsi://", StringComparison.Ordinal)) url = args[i];
            else
            {
                Console.Error.WriteLine($"sharpsan-bench: unknown argument \"{args[i]}\"");
                return 2;
            }
            break;
    }
}
if (url is null || seconds <= 0 || depth <= 0 || blocks <= 0)
{
    Console.Error.WriteLine("usage: sharpsan-bench [-t SECONDS] [-m QD] [-b BLOCKS] [-i INITIATOR] iscsi://HOST[:PORT]/IQN/LUN");
    return 2;
}

var uri = new Uri(url);
var parts = uri.AbsolutePath.Trim('/').Split('/');
if (parts.Length != 2 || !ulong.TryParse(parts[1], out var lun))
{
    Console.Error.WriteLine($"sharpsan-bench: {url} is not iscsi://HOST[:PORT]/IQN/LUN");
    return 2;
}
var address = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip : (await Dns.GetHostAddressesAsync(uri.Host))[0];
var portal = new IPEndPoint(address, uri.IsDefaultPort || uri.Port <= 0 ? 3260 : uri.Port);
var options = new InitiatorOptions { InitiatorName = initiator, MaxOutstandingR2T = 8 };

await using var session = await IscsiSession.LoginAsync(portal, parts[0], options, CancellationToken.None);
var device = await BlockDevice.OpenAsync(session, lun, CancellationToken.None);
int bytes = blocks * 512;
if (bytes % device.BlockSize != 0)
{
    Console.Error.WriteLine($"sharpsan-bench: {blocks} x 512 bytes is not a whole number of {device.BlockSize}-byte blocks");
    return 2;
}
int lbaBlocks = bytes / device.BlockSize;
ulong slots = device.BlockCount / (ulong)lbaBlocks;
Console.WriteLine($"sharpsan-bench: {url}, {device.BlockCount} blocks of {device.BlockSize} bytes, {bytes} bytes per read, queue depth {depth}, {seconds} s");

long done = 0;
var stop = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(seconds);
async Task Worker(int seed)
{
    var rng = new Random(seed);
    var buffer = new byte[bytes];
    var cdb = new byte[16];
    while (stop.Elapsed < deadline)
    {
        ulong lba = (ulong)rng.NextInt64((long)slots) * (ulong)lbaBlocks;
        ScsiCdb.Read16(lba, (uint)lbaBlocks).CopyTo(cdb, 0);
        var result = await session.ExecuteAsync(ScsiCommand.Read(lun, cdb, buffer), CancellationToken.None);
        if (!result.IsGood) throw new InvalidOperationException($"READ(16) at {lba} failed: status {result.Status}");
        Interlocked.Increment(ref done);
    }
}
await Task.WhenAll(Enumerable.Range(0, depth).Select(Worker));
double elapsed = stop.Elapsed.TotalSeconds;
long iops = (long)(done / elapsed);
Console.WriteLine($"iops average {iops} ({(long)(done * (double)bytes / elapsed / 1e6)} MB/s)");
await session.LogoutAsync(CancellationToken.None);
return 0;
