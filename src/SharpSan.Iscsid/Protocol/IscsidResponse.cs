using System.Text.Json.Serialization;

namespace SharpSan.Iscsid.Protocol;

/// <summary>
/// One answer line: {"v":1,"error":0} plus, by request, "sid" (login), "sessions" (list) and a
/// one-line "message" a person can act on when "error" (an open-iscsi error code) is not 0.
/// </summary>
public sealed record IscsidResponse
{
    [JsonPropertyName("v")]
    public int Version { get; init; } = IscsidProtocol.Version;

    /// <summary>An <see cref="SharpSan.NodeRecords.IscsiError"/> value; 0 is success.</summary>
    [JsonPropertyName("error")]
    public int Error { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("sid")]
    public int? Sid { get; init; }

    [JsonPropertyName("sessions")]
    public List<SessionFacts>? Sessions { get; init; }
}
