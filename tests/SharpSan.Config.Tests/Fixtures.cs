using System.Text.Json.Nodes;

namespace SharpSan.Config.Tests;

internal static class Fixtures
{
    /// <summary>A saveconfig.json laid out exactly as rtslib-fb writes it (json.dump sort_keys=True, indent=2).</summary>
    public static string LioSaveConfig { get; } =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "lio-saveconfig.json"));

    public static JsonNode LioTree() => JsonNode.Parse(LioSaveConfig)!;
}
