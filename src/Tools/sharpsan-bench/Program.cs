using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using SharpSan.Initiator;

// sharpsan-bench: load through SharpSan.Initiator, the library's counterpart of libiscsi's iscsi-perf.
// I/O mode: SESSIONS sessions, each with QD commands in flight, random (or sequential) reads (or
// writes) for a fixed time; prints "iops average N (M MB/s)" in iscsi-perf's words so the two compare
// line for line, the failed commands, and with -L the latency percentiles. Login mode: CONCURRENCY
// loops of login + logout for a fixed time; prints the login rate.
const string Usage = """
    usage: sharpsan-bench [-t SECONDS] [-m QD] [-b BLOCKS] [-n SESSIONS] [-w] [-s] [-L] [-i INITIATOR] iscsi://HOST[:PORT]/IQN/LUN
           sharpsan-bench --logins [-t SECONDS] [-c CONCURRENCY] [-i INITIATOR] iscsi://HOST[:PORT]/IQN/LUN
      -t  seconds to run (default 10)        -m  commands in flight per session (default 32)
      -b  512-byte blocks per command (8)    -n  sessions at once (default 1)
      -w  WRITE(16) instead of READ(16)      -s  sequential instead of random offsets
      -L  print latency percentiles          -c  login loops at once (default 8)
    """;
int seconds = 10, depth = 32, blocks = 8, sessions = 1, concurrency = 8;
bool write = false, sequential = false, latency = false, logins = false;
string initiator = "iqn.2026-11.io.sharpsan:bench";
string? url = null;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        int Positive() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v : throw new ArgumentException($"{args[i - 1]} needs a positive number");
        switch (args[i])
        {
            case "-t": seconds = Positive(); break;
            case "-m": depth = Positive(); break;
            case "-b": blocks = Positive(); break;
            case "-n": sessions = Positive(); break;
            case "-c": concurrency = Positive(); break;
            case "-w": write = true; break;
            case "-s": sequential = true; break;
            case "-L": latency = true; break;
            case "--logins": logins = true; break;
            case "-i": initiator = Next(); break;
            default:
                url = args[i].StartsWith("iscsi://", StringComparison.Ordinal) && url is null
                    ? args[i] : throw new ArgumentException($"unknown argument \"{args[i]}\"");
                break;
        }
    }
    if (url is null) throw new ArgumentException("no iscsi:// URL");
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"sharpsan-bench: {ex.Message}");
    Console.Error.WriteLine(Usage);
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
string target = parts[0];

// Each session gets its own ISID: the same initiator name and ISID would reinstate (replace) the
// previous session instead of adding one (RFC 7143 §4.4.3).
InitiatorOptions NewOptions() => new() { InitiatorName = initiator, MaxOutstandingR2T = 8, Isid = InitiatorOptions.NewRandomIsid() };
var deadline = TimeSpan.FromSeconds(seconds);

if (logins)
{
    long ok = 0, failed = 0;
    var clock = Stopwatch.StartNew();
    async Task LoginLoop()
    {
        while (clock.Elapsed < deadline)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await using var s = await IscsiSession.LoginAsync(portal, target, NewOptions(), timeout.Token);
                await s.LogoutAsync(timeout.Token);
                Interlocked.Increment(ref ok);
            }
            catch (Exception ex) when (ex is IscsiLoginException or IOException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                if (Interlocked.Increment(ref failed) == 1) Console.Error.WriteLine($"sharpsan-bench: login failed: {ex.Message}");
            }
        }
    }
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(LoginLoop)));
    double took = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"logins average {(long)(ok / took)}/s ({ok} login+logout in {took:0.0} s, {concurrency} at once), errors {failed}");
    return failed == 0 ? 0 : 1;
}

// Log in every session first (a bounded number at a time), so the timed part is I/O only.
var all = new IscsiSession[sessions];
var gate = new SemaphoreSlim(Math.Min(sessions, 32));
await Task.WhenAll(Enumerable.Range(0, sessions).Select(async n =>
{
    await gate.WaitAsync();
    try
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        all[n] = await IscsiSession.LoginAsync(portal, target, NewOptions(), timeout.Token);
    }
    finally
    {
        gate.Release();
    }
}));
var device = await BlockDevice.OpenAsync(all[0], lun, CancellationToken.None);
int bytes = blocks * 512;
if (bytes % device.BlockSize != 0)
{
    Console.Error.WriteLine($"sharpsan-bench: {blocks} x 512 bytes is not a whole number of {device.BlockSize}-byte blocks");
    return 2;
}
uint lbaBlocks = (uint)(bytes / device.BlockSize);
ulong slots = device.BlockCount / lbaBlocks;
Console.WriteLine($"sharpsan-bench: {url}, {device.BlockCount} blocks of {device.BlockSize} bytes, " +
    $"{(write ? "write" : "read")} {(sequential ? "sequential" : "random")} {bytes} bytes, queue depth {depth} x {sessions} session(s), {seconds} s");

// Latency histogram in microseconds (the last bucket collects everything slower): no allocation per I/O.
const int Buckets = 1_000_000;
var histogram = latency ? new long[Buckets + 1] : null;
long done = 0, errors = 0;
ulong nextSequential = 0;
var stop = Stopwatch.StartNew();
async Task Worker(IscsiSession session, int seed)
{
    var rng = new Random(seed);
    var buffer = new byte[bytes];
    if (write) rng.NextBytes(buffer);
    var cdb = new byte[16];
    cdb[0] = write ? (byte)0x8A : (byte)0x88;
    BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), lbaBlocks);
    var command = write ? ScsiCommand.Write(lun, cdb, buffer) : ScsiCommand.Read(lun, cdb, buffer);
    while (stop.Elapsed < deadline)
    {
        ulong slot = sequential ? (Interlocked.Increment(ref nextSequential) - 1) % slots : (ulong)rng.NextInt64((long)slots);
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), slot * lbaBlocks);
        long started = Stopwatch.GetTimestamp();
        try
        {
            var result = await session.ExecuteAsync(command, CancellationToken.None);
            if (result.Status == ScsiResult.CheckCondition && result.Sense is { SenseKey: SharpSan.Scsi.SenseKey.UnitAttention })
            {
                // A new nexus' first command reports power on/reset (SAM-5 5.14); like any initiator, retry.
                continue;
            }
            if (!result.IsGood)
            {
                if (Interlocked.Increment(ref errors) == 1) Console.Error.WriteLine($"sharpsan-bench: command failed: status 0x{result.Status:x2} {result.Sense}");
                continue;
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            if (Interlocked.Increment(ref errors) == 1) Console.Error.WriteLine($"sharpsan-bench: command failed: {ex.Message}");
            await Task.Delay(10);
            continue;
        }
        if (histogram is not null)
        {
            long us = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            Interlocked.Increment(ref histogram[Math.Min(us, Buckets)]);
        }
        Interlocked.Increment(ref done);
    }
}
await Task.WhenAll(all.SelectMany((s, n) => Enumerable.Range(0, depth).Select(q => Worker(s, n * depth + q))));
double elapsed = stop.Elapsed.TotalSeconds;
long iops = (long)(done / elapsed);
Console.WriteLine($"iops average {iops} ({(long)(done * (double)bytes / elapsed / 1e6)} MB/s)");
Console.WriteLine($"errors {errors}");
if (histogram is not null && done > 0)
{
    string Percentile(double p)
    {
        long rank = (long)Math.Ceiling(p / 100 * done), seen = 0;
        for (int us = 0; us <= Buckets; us++)
        {
            seen += histogram[us];
            if (seen >= rank) return us == Buckets ? $">{Buckets}" : us.ToString(CultureInfo.InvariantCulture);
        }
        return "?";
    }
    Console.WriteLine($"latency us p50 {Percentile(50)} p90 {Percentile(90)} p99 {Percentile(99)} p99.9 {Percentile(99.9)}");
}
await Task.WhenAll(all.Select(async s =>
{
    try
    {
        await s.LogoutAsync(CancellationToken.None);
    }
    catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or InvalidOperationException)
    {
        Interlocked.Increment(ref errors);
    }
    await s.DisposeAsync();
}));
return errors == 0 ? 0 : 1;
