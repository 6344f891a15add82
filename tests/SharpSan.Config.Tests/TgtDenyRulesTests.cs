using System.Net;
using System.Text.Json.Nodes;

namespace SharpSan.Config.Tests;

/// <summary>The deny lists of "sharpsan_tgt" (IET's initiators.deny): read, validated, and combined by Admits.</summary>
public sealed class TgtDenyRulesTests
{
    private static JsonNode Tree(JsonObject tgt)
    {
        // The fixture's target has a LUN 0: an IET target (no tgt controller there).
        tgt["controller_lun"] = false;
        var root = Fixtures.LioTree();
        root["targets"]![0]!["sharpsan_tgt"] = tgt;
        return root;
    }

    [Fact]
    public void Deny_lists_are_read_and_validated_with_their_path()
    {
        var ok = new JsonObject { ["tid"] = 1, ["denied_addresses"] = new JsonArray("10.0.0.0/8"), ["denied_names"] = new JsonArray("iqn.x:y") };
        var config = SaveConfigReader.Parse(Tree(ok).ToJsonString());
        Assert.Equal(["10.0.0.0/8"], config.Targets[0].Tgt!.DeniedAddresses);
        Assert.Equal(["iqn.x:y"], config.Targets[0].Tgt!.DeniedNames);

        var bad = new JsonObject { ["tid"] = 1, ["denied_addresses"] = new JsonArray("10.0.0.0/40") };
        var e = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(Tree(bad).ToJsonString()));
        Assert.Equal("$.targets[0].sharpsan_tgt.denied_addresses[0]", e.JsonPath);
        var empty = new JsonObject { ["tid"] = 1, ["denied_names"] = new JsonArray("") };
        e = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(Tree(empty).ToJsonString()));
        Assert.Equal("$.targets[0].sharpsan_tgt.denied_names[0]", e.JsonPath);
    }

    [Theory]
    // tgt: only the allow lists count; nothing listed admits nobody.
    [InlineData("", "", "", "", "127.0.0.1", "iqn.a", false)]
    [InlineData("ALL", "", "", "", "127.0.0.1", "iqn.a", true)]
    [InlineData("10.0.0.0/8", "iqn.a", "", "", "127.0.0.1", "iqn.a", true)]
    [InlineData("10.0.0.0/8", "iqn.a", "", "", "127.0.0.1", "iqn.b", false)]
    // IET with deny rules: allowed, or not denied.
    [InlineData("", "", "127.0.0.1", "", "127.0.0.1", "iqn.a", false)]
    [InlineData("", "", "127.0.0.1", "", "10.1.1.1", "iqn.a", true)]
    [InlineData("", "iqn.a", "127.0.0.0/8", "", "127.0.0.1", "iqn.a", true)]
    [InlineData("", "", "", "iqn.b", "127.0.0.1", "iqn.b", false)]
    [InlineData("", "", "", "iqn.b", "::ffff:127.0.0.1", "iqn.a", true)]
    public void Admits(string allowAddress, string allowName, string denyAddress, string denyName, string peer, string name, bool admitted)
    {
        var t = new TgtTargetConfig { Tid = 1 };
        if (allowAddress.Length > 0) t.InitiatorAddresses.Add(allowAddress);
        if (allowName.Length > 0) t.InitiatorNames.Add(allowName);
        if (denyAddress.Length > 0) t.DeniedAddresses.Add(denyAddress);
        if (denyName.Length > 0) t.DeniedNames.Add(denyName);
        Assert.Equal(admitted, t.Admits(IPAddress.Parse(peer), name));
        Assert.Equal(admitted, t.Clone().Admits(IPAddress.Parse(peer), name));
    }
}
