using System.Text.Json.Serialization;

namespace SharpSan.Control;

/// <summary>Small JSON bodies of the control API.</summary>
public sealed record ErrorBody(string Error, string Kind);

public sealed record GenerationBody(long Generation);

public sealed record PathBody(string Path);

public sealed record VersionBody(int Api, string Product, string Version);

/// <summary>System.Text.Json source generation for every control API body (no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(GenerationBody))]
[JsonSerializable(typeof(PathBody))]
[JsonSerializable(typeof(VersionBody))]
[JsonSerializable(typeof(SessionInfo[]))]
[JsonSerializable(typeof(List<SessionInfo>))]
[JsonSerializable(typeof(LunStatisticsInfo[]))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
}
