using System.Text.Json.Serialization;

namespace SharpSan.Iscsid.Protocol;

/// <summary>
/// One request line on the iscsid socket: {"v":1,"op":"login","node":{...}}, {"v":1,"op":"logout","sid":1},
/// {"v":1,"op":"list"}, {"v":1,"op":"shutdown"}. The node is the open-iscsi record as key/value pairs
/// ("node.name", "node.conn[0].address", "node.session.auth.password", ...).
/// </summary>
public sealed record IscsidRequest
{
    [JsonPropertyName("v")]
    public int Version { get; init; } = IscsidProtocol.Version;

    [JsonPropertyName("op")]
    public string Op { get; init; } = "";

    [JsonPropertyName("node")]
    public Dictionary<string, string>? Node { get; init; }

    [JsonPropertyName("sid")]
    public int? Sid { get; init; }
}
