using SharpSan.Platform;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SharpSan.Control;

/// <summary>
/// The control API (docs/control-api.md): HTTP/1.1 + JSON on a Unix socket, version 1 under /v1.
/// The socket lives in a 0700 directory and is itself 0600, so only root (the daemon's user) can
/// connect. Every change goes through <see cref="IControlBackend"/>.
/// </summary>
public sealed class ControlHttpServer : IAsyncDisposable
{
    public const int ApiVersion = 1;
    public const string DefaultSocketPath = "/run/sharpsan/control.sock";

    /// <summary>
    /// Where the daemon and the tools meet when no path is given: /run/sharpsan/control.sock for root
    /// (the production case); for an unprivileged user, who cannot write /run, a folder of their own:
    /// $XDG_RUNTIME_DIR/sharpsan/control.sock, or /tmp/sharpsan-UID/control.sock.
    /// </summary>
    public static string DefaultSocketPathForThisUser()
    {
        if (Environment.UserName == "root") return DefaultSocketPath;
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return string.IsNullOrEmpty(runtime)
            ? Path.Combine(Path.GetTempPath(), $"sharpsan-{Environment.UserName}", "control.sock")
            : Path.Combine(runtime, "sharpsan", "control.sock");
    }
    public const string GenerationHeader = "X-Config-Generation";
    public const string ConfigPathHeader = "X-Config-Path";

    /// <summary>Readable JSON for people using curl: quotes and non-ASCII left as they are.</summary>
    private static readonly JsonSerializerOptions ReadableJson = new(ControlJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ControlJsonContext.Default,
    };

    private readonly WebApplication _app;
    private readonly string _socketPath;

    private ControlHttpServer(WebApplication app, string socketPath)
    {
        _app = app;
        _socketPath = socketPath;
    }

    public string SocketPath => _socketPath;

    public static async Task<ControlHttpServer> StartAsync(string socketPath, IControlBackend backend, string productVersion)
    {
        socketPath = Path.GetFullPath(socketPath);
        var dir = Path.GetDirectoryName(socketPath)!;
        if (!Directory.Exists(dir))
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(socketPath)) File.Delete(socketPath); // a stale socket of a previous run

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.ListenUnixSocket(socketPath));
        var app = builder.Build();
        Map(app, backend, productVersion);
        // The socket is created owner-only (umask 0077), then narrowed to read/write: root-only from
        // the moment it exists, even in a folder that someone else created with looser permissions.
        await PrivateFileCreation.RunAsync(() => app.StartAsync());
        // Root-only (the rule): owner read/write, nobody else.
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new ControlHttpServer(app, socketPath);
    }

    private static void Map(WebApplication app, IControlBackend backend, string productVersion)
    {
        var json = ControlJsonContext.Default;
        app.MapGet("/v1/version", () => Results.Json(new VersionBody(ApiVersion, "sharpsand", productVersion), json.VersionBody));

        app.MapGet("/v1/config", (HttpContext ctx) =>
        {
            var (text, generation, path) = backend.GetConfig();
            ctx.Response.Headers[GenerationHeader] = generation.ToString();
            ctx.Response.Headers[ConfigPathHeader] = path;
            return Results.Text(text, "application/json", Encoding.UTF8);
        });

        app.MapPut("/v1/config", async (HttpContext ctx) =>
        {
            if (!long.TryParse(ctx.Request.Headers[GenerationHeader], out var expected))
                return Error(new ControlException(ControlErrorKind.Invalid, $"missing {GenerationHeader} header (the generation the new tree is based on)"));
            string body;
            using (var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8))
                body = await reader.ReadToEndAsync(ctx.RequestAborted);
            try
            {
                var generation = await backend.PutConfigAsync(body, expected, ctx.RequestAborted);
                return Results.Json(new GenerationBody(generation), json.GenerationBody);
            }
            catch (ControlException ex)
            {
                return Error(ex);
            }
        });

        app.MapPost("/v1/config/save", async (HttpContext ctx) =>
        {
            string? path = ctx.Request.Query["path"];
            try
            {
                var written = await backend.SaveConfigAsync(string.IsNullOrEmpty(path) ? null : path, ctx.RequestAborted);
                return Results.Json(new PathBody(written), json.PathBody);
            }
            catch (ControlException ex)
            {
                return Error(ex);
            }
        });

        app.MapGet("/v1/sessions", () => Results.Json(backend.GetSessions().ToArray(), json.SessionInfoArray));

        app.MapGet("/v1/statistics", () => Results.Json(backend.GetStatistics().ToArray(), json.LunStatisticsInfoArray));

        app.MapDelete("/v1/sessions/{tsih}/connections/{cid}", async (HttpContext ctx, string tsih, string cid) =>
        {
            if (!ushort.TryParse(tsih, out var t) || !ushort.TryParse(cid, out var c))
                return Error(new ControlException(ControlErrorKind.Invalid, $"session {tsih} connection {cid}: TSIH and CID are numbers 0..65535"));
            try
            {
                await backend.CloseConnectionAsync(t, c, ctx.RequestAborted);
                return Results.NoContent();
            }
            catch (ControlException ex)
            {
                return Error(ex);
            }
        });
    }

    private static IResult Error(ControlException ex)
    {
        int status = ex.Kind switch
        {
            ControlErrorKind.Invalid => StatusCodes.Status400BadRequest,
            ControlErrorKind.Conflict => StatusCodes.Status409Conflict,
            ControlErrorKind.NotFound => StatusCodes.Status404NotFound,
            ControlErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        return Results.Json(new ErrorBody(ex.Message, ex.Kind == ControlErrorKind.NotFound ? "not_found" : ex.Kind.ToString().ToLowerInvariant()), ReadableJson, statusCode: status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            File.Delete(_socketPath);
        }
        catch (IOException)
        {
        }
    }
}
