using System.Globalization;
using System.Net;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>Connects to a portal and logs in within LoginTimeout, following target redirects
/// (RFC 7143 §11.13.5 status class 1: log in again at the TargetAddress given).</summary>
internal static class LoginConnector
{
    public static async Task<(InitiatorConnection Connection, LoginOutcome Outcome)> ConnectAsync(
        IPEndPoint portal, InitiatorOptions o, string? targetName, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.LoginTimeout);
        var current = portal;
        for (int redirects = 0; ; redirects++)
        {
            InitiatorConnection? conn = null;
            try
            {
                conn = await InitiatorConnection.ConnectAsync(current, timeout.Token);
                var outcome = await LoginExchange.RunAsync(conn, o, targetName, tsih: 0, cmdSN: 1, timeout.Token);
                return (conn, outcome);
            }
            catch (LoginRedirectException redirect) when (redirects < o.MaxRedirects)
            {
                await conn!.DisposeAsync();
                current = ParseAddress(redirect.Address, current.Port)
                    ?? throw new IscsiLoginException(redirect.Status, $"the target redirected to an unusable address \"{redirect.Address}\"");
            }
            catch (LoginRedirectException redirect)
            {
                await conn!.DisposeAsync();
                throw new IscsiLoginException(redirect.Status, $"too many redirects (last to {redirect.Address})");
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                if (conn is not null) await conn.DisposeAsync();
                throw new TimeoutException($"login to {current} did not complete within {o.LoginTimeout.TotalSeconds:0.#} s", ex);
            }
            catch
            {
                if (conn is not null) await conn.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Parses "ip:port,tpgt", "[ipv6]:port,tpgt" or a bare address (RFC 7143 §13.8).</summary>
    public static IPEndPoint? ParseAddress(string address, int defaultPort = 3260)
    {
        int comma = address.LastIndexOf(',');
        var hostPort = comma >= 0 ? address[..comma] : address;
        string host = hostPort;
        int port = defaultPort;
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']');
            if (close < 0) return null;
            host = hostPort[1..close];
            if (close + 1 < hostPort.Length && hostPort[close + 1] == ':'
                && !int.TryParse(hostPort.AsSpan(close + 2), NumberStyles.None, CultureInfo.InvariantCulture, out port)) return null;
        }
        else if (hostPort.Count(ch => ch == ':') == 1)
        {
            int colon = hostPort.IndexOf(':');
            host = hostPort[..colon];
            if (!int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)) return null;
        }
        if (!IPAddress.TryParse(host, out var ip) || port is <= 0 or > 65535) return null;
        return new IPEndPoint(ip, port);
    }
}
