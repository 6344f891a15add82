using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SharpSan.Config;

namespace SharpSan.Control;

/// <summary>
/// <see cref="IControlClient"/> over the daemon's Unix socket (see <see cref="ControlHttpServer"/>).
/// Every call has a timeout; an unreachable daemon is a <see cref="ControlException"/> of kind
/// Unavailable with a message saying what to check.
/// </summary>
public sealed class ControlHttpClient : IControlClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly string _socketPath;

    public ControlHttpClient(string socketPath, TimeSpan? timeout = null)
    {
        _socketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://sharpsand/"), Timeout = timeout ?? TimeSpan.FromSeconds(120) };
    }

    public async Task<ConfigSnapshot> GetConfigAsync(CancellationToken cancellationToken = default)
    {
        using var rsp = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/config"), cancellationToken);
        var text = await rsp.Content.ReadAsStringAsync(cancellationToken);
        long generation = long.Parse(rsp.Headers.GetValues(ControlHttpServer.GenerationHeader).First());
        string path = rsp.Headers.TryGetValues(ControlHttpServer.ConfigPathHeader, out var p) ? p.First() : "";
        return new ConfigSnapshot(SaveConfigReader.Parse(text, "sharpsand"), generation, path);
    }

    public async Task<long> PutConfigAsync(SanConfig config, long expectedGeneration, CancellationToken cancellationToken = default)
    {
        var req = new HttpRequestMessage(HttpMethod.Put, "v1/config")
        {
            Content = new StringContent(SaveConfigWriter.Serialize(config), Encoding.UTF8, "application/json"),
        };
        req.Headers.Add(ControlHttpServer.GenerationHeader, expectedGeneration.ToString());
        using var rsp = await SendAsync(req, cancellationToken);
        var body = JsonSerializer.Deserialize(await rsp.Content.ReadAsStringAsync(cancellationToken), ControlJsonContext.Default.GenerationBody);
        return body!.Generation;
    }

    public async Task<string> SaveConfigAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        var uri = path is null ? "v1/config/save" : $"v1/config/save?path={Uri.EscapeDataString(path)}";
        using var rsp = await SendAsync(new HttpRequestMessage(HttpMethod.Post, uri), cancellationToken);
        var body = JsonSerializer.Deserialize(await rsp.Content.ReadAsStringAsync(cancellationToken), ControlJsonContext.Default.PathBody);
        return body!.Path;
    }

    public async Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken = default)
    {
        using var rsp = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/sessions"), cancellationToken);
        return JsonSerializer.Deserialize(await rsp.Content.ReadAsStringAsync(cancellationToken), ControlJsonContext.Default.SessionInfoArray) ?? [];
    }

    public async Task<IReadOnlyList<LunStatisticsInfo>> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        using var rsp = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "v1/statistics"), cancellationToken);
        return JsonSerializer.Deserialize(await rsp.Content.ReadAsStringAsync(cancellationToken), ControlJsonContext.Default.LunStatisticsInfoArray) ?? [];
    }

    public async Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"v1/sessions/{tsih}/connections/{cid}"), cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage rsp;
        try
        {
            rsp = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ControlException(ControlErrorKind.Unavailable,
                $"cannot reach sharpsand at {_socketPath}: {(ex.InnerException ?? ex).Message} (is sharpsand running, and are you root?)", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControlException(ControlErrorKind.Unavailable, $"sharpsand at {_socketPath} did not answer in time", ex);
        }
        if (rsp.IsSuccessStatusCode) return rsp;
        string message;
        ControlErrorKind kind = rsp.StatusCode switch
        {
            HttpStatusCode.BadRequest => ControlErrorKind.Invalid,
            HttpStatusCode.Conflict => ControlErrorKind.Conflict,
            HttpStatusCode.NotFound => ControlErrorKind.NotFound,
            HttpStatusCode.ServiceUnavailable => ControlErrorKind.Unavailable,
            _ => ControlErrorKind.Failed,
        };
        try
        {
            var body = JsonSerializer.Deserialize(await rsp.Content.ReadAsStringAsync(cancellationToken), ControlJsonContext.Default.ErrorBody);
            message = body?.Error ?? rsp.ReasonPhrase ?? rsp.StatusCode.ToString();
        }
        catch (JsonException)
        {
            message = $"sharpsand answered {(int)rsp.StatusCode} {rsp.ReasonPhrase}";
        }
        rsp.Dispose();
        throw new ControlException(kind, message);
    }

    public void Dispose() => _http.Dispose();
}
