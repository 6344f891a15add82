using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpSan.Iscsid.Protocol;

/// <summary>
/// The iscsid socket protocol: a Unix stream socket, UTF-8 JSON lines, one request object per line
/// and one response line for it; the connection may carry several requests in turn.
/// </summary>
public static class IscsidProtocol
{
    public const int Version = 1;

    /// <summary>Lines longer than this are refused; a node record is a few kilobytes.</summary>
    public const int MaxLineBytes = 1 << 20;

    public const string Login = "login";
    public const string Logout = "logout";
    public const string List = "list";
    public const string Shutdown = "shutdown";

    public const string RootEnvironmentVariable = NodeRecords.NodeDatabase.RootEnvironmentVariable;
    public const string DefaultSocketPath = "/run/sharpsan/iscsid.sock";
    public const string SocketFileName = "iscsid.sock";

    /// <summary>$SHARPSAN_ISCSI_ROOT/iscsid.sock when the variable is set, else /run/sharpsan/iscsid.sock.</summary>
    public static string SocketPathFromEnvironment()
    {
        var root = Environment.GetEnvironmentVariable(RootEnvironmentVariable);
        return string.IsNullOrEmpty(root) ? DefaultSocketPath : Path.Combine(root, SocketFileName);
    }

    public static string Serialize(IscsidRequest request) => JsonSerializer.Serialize(request, IscsidJsonContext.Default.IscsidRequest);

    public static string Serialize(IscsidResponse response) => JsonSerializer.Serialize(response, IscsidJsonContext.Default.IscsidResponse);

    /// <summary>Parses a request line; throws <see cref="JsonException"/> for text that is not one.</summary>
    public static IscsidRequest ParseRequest(string line) =>
        JsonSerializer.Deserialize(line, IscsidJsonContext.Default.IscsidRequest) ?? throw new JsonException("null request");

    public static IscsidResponse ParseResponse(string line) =>
        JsonSerializer.Deserialize(line, IscsidJsonContext.Default.IscsidResponse) ?? throw new JsonException("null response");
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(IscsidRequest))]
[JsonSerializable(typeof(IscsidResponse))]
internal sealed partial class IscsidJsonContext : JsonSerializerContext
{
}
