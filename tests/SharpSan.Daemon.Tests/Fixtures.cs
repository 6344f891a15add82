using System.Net;
using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Scsi;

namespace SharpSan.Daemon.Tests;

/// <summary>Trees, files and sockets the daemon tests build on.</summary>
internal static class Fixtures
{
    public const string Target1 = TargetSetup.DefaultTargetName;
    public const string Target2 = "iqn.2025-01.org.sharpsan:t2";

    /// <summary>A deep copy (through the LIO writer and reader), to change without touching the original.</summary>
    public static SanConfig Copy(SanConfig config) => SaveConfigReader.Parse(SaveConfigWriter.Serialize(config), "copy");

    public static StorageObjectConfig Ramdisk(string name, ulong size = 1 << 20, string wwn = "6a0b1c2d-0000-4000-8000-0000000000aa") =>
        new() { Plugin = "ramdisk", Name = name, Size = size, Wwn = wwn };

    public static StorageObjectConfig FileIo(string name, string path, ulong size = 1 << 20, string wwn = "6a0b1c2d-0000-4000-8000-0000000000bb") =>
        new() { Plugin = "fileio", Name = name, Dev = path, Size = size, Wwn = wwn };

    /// <summary>A fileio path that cannot be created: its "directory" is a regular file.</summary>
    public static string UncreatableFile(TempDirectory dir)
    {
        var blocker = dir.File("not-a-directory");
        File.WriteAllText(blocker, "");
        return Path.Combine(blocker, "disk.img");
    }

    /// <summary>How many of this process's file descriptors are open on <paramref name="path"/>.</summary>
    public static int OpenDescriptors(string path)
    {
        var full = Path.GetFullPath(path);
        int n = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == full) n++;
            }
            catch (IOException)
            {
                // closed while we looked
            }
        }
        return n;
    }

    /// <summary>A loopback port held by a listening socket of the test (as another process would).</summary>
    public static Socket HoldPort(out int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.Listen();
        port = ((IPEndPoint)s.LocalEndPoint!).Port;
        return s;
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool Listening(int port)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    public static byte[] Pattern(int length, byte seed)
    {
        var b = new byte[length];
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(i * 31 + seed);
        return b;
    }

    public static async Task<byte[]> ReadAsync(LogicalUnit unit, ulong lba, int length)
    {
        var buffer = new byte[length];
        await unit.Backstore.ReadAsync(lba, buffer, CancellationToken.None);
        return buffer;
    }

    public static ValueTask WriteAsync(LogicalUnit unit, ulong lba, byte[] data) =>
        unit.Backstore.WriteAsync(lba, data, WriteFlags.None, CancellationToken.None);
}
