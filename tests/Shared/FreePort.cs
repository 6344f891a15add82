using System.Net;
using System.Net.Sockets;

namespace SharpSan.Testing;

/// <summary>TCP ports nobody listens on right now (the OS picks them).</summary>
public static class FreePort
{
    /// <summary>A free port on <paramref name="address"/> (loopback unless given).</summary>
    public static int Next(string address = "127.0.0.1")
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
