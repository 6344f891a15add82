using System.Net;
using System.Text;
using System.Text.Json;
using SharpSan.Config;
using SharpSan.Control;

namespace SharpSan.Control.Tests;

/// <summary>GET/PUT /v1/config and the generation that guards them (docs/control-api.md).</summary>
public sealed class ConfigEndpointTests
{
    [Fact]
    public async Task Get_answers_the_tree_with_its_generation_and_path_headers()
    {
        await using var f = await ControlServerFixture.StartAsync();

        using var rsp = await f.Http.GetAsync("v1/config");

        Assert.Equal(HttpStatusCode.OK, rsp.StatusCode);
        Assert.Equal("application/json", rsp.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", Assert.Single(rsp.Headers.GetValues(ControlHttpServer.GenerationHeader)));
        Assert.Equal(FakeControlBackend.ConfigPath, Assert.Single(rsp.Headers.GetValues(ControlHttpServer.ConfigPathHeader)));
        Assert.Equal(f.Backend.Json, await rsp.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Client_reads_puts_and_reads_back_with_the_next_generation()
    {
        await using var f = await ControlServerFixture.StartAsync();

        var snap = await f.Client.GetConfigAsync();
        Assert.Equal(1, snap.Generation);
        Assert.Equal(FakeControlBackend.ConfigPath, snap.ConfigPath);
        Assert.Equal("iqn.2026-11.io.sharpsan.test:control", Assert.Single(snap.Config.Targets).Wwn);

        snap.Config.StorageObjects.Add(new StorageObjectConfig { Plugin = "ramdisk", Name = "rd2", Size = 2 << 20, Wwn = "6a0b1c2d-0000-4000-8000-000000000002" });
        long next = await f.Client.PutConfigAsync(snap.Config, snap.Generation);

        Assert.Equal(2, next);
        Assert.Equal(1, f.Backend.LastExpectedGeneration); // the header carried the generation read
        Assert.Equal(SaveConfigWriter.Serialize(snap.Config), f.Backend.Json);
        var again = await f.Client.GetConfigAsync();
        Assert.Equal(2, again.Generation);
        Assert.Equal(["rd1", "rd2"], again.Config.StorageObjects.Select(s => s.Name));
        using var raw = await f.Http.GetAsync("v1/config");
        Assert.Equal("2", Assert.Single(raw.Headers.GetValues(ControlHttpServer.GenerationHeader)));
    }

    [Fact]
    public async Task Put_answers_the_new_generation_as_json()
    {
        await using var f = await ControlServerFixture.StartAsync();

        using var rsp = await f.Http.SendAsync(Put(f.Backend.Json, "1"));

        Assert.Equal(HttpStatusCode.OK, rsp.StatusCode);
        using var doc = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        Assert.Equal(2, doc.RootElement.GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task A_stale_generation_is_a_conflict_with_the_servers_message()
    {
        await using var f = await ControlServerFixture.StartAsync();
        var first = await f.Client.GetConfigAsync();
        var second = await f.Client.GetConfigAsync();
        await f.Client.PutConfigAsync(first.Config, first.Generation);
        var jsonAfterFirst = f.Backend.Json;

        second.Config.StorageObjects.Clear();
        var ex = await Assert.ThrowsAsync<ControlException>(() => f.Client.PutConfigAsync(second.Config, second.Generation));

        Assert.Equal(ControlErrorKind.Conflict, ex.Kind);
        Assert.Equal("the configuration changed meanwhile (generation 2, not 1); read it again and retry", ex.Message);
        Assert.Equal(jsonAfterFirst, f.Backend.Json);
        Assert.Equal(2, f.Backend.Generation);
    }

    [Fact]
    public async Task A_stale_generation_is_409_on_the_wire()
    {
        await using var f = await ControlServerFixture.StartAsync();

        using var rsp = await f.Http.SendAsync(Put(f.Backend.Json, "7"));

        Assert.Equal(HttpStatusCode.Conflict, rsp.StatusCode);
        using var doc = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        Assert.Equal("conflict", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal("the configuration changed meanwhile (generation 1, not 7); read it again and retry", doc.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("seven")]
    public async Task A_put_without_a_usable_generation_header_is_invalid(string? header)
    {
        await using var f = await ControlServerFixture.StartAsync();

        using var rsp = await f.Http.SendAsync(Put(f.Backend.Json, header));

        Assert.Equal(HttpStatusCode.BadRequest, rsp.StatusCode);
        using var doc = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        Assert.Equal("invalid", doc.RootElement.GetProperty("kind").GetString());
        Assert.Contains(ControlHttpServer.GenerationHeader, doc.RootElement.GetProperty("error").GetString());
        Assert.Null(f.Backend.LastExpectedGeneration); // the backend was not asked
    }

    [Fact]
    public async Task Save_passes_the_path_through_and_answers_what_was_written()
    {
        await using var f = await ControlServerFixture.StartAsync();

        Assert.Equal(FakeControlBackend.ConfigPath, await f.Client.SaveConfigAsync());
        Assert.Null(f.Backend.LastSavePath);

        const string odd = "/tmp/a dir/saveconfig?&=#.json";
        Assert.Equal(odd, await f.Client.SaveConfigAsync(odd));
        Assert.Equal(odd, f.Backend.LastSavePath);
    }

    [Fact]
    public async Task Version_names_the_api_and_the_product()
    {
        await using var f = await ControlServerFixture.StartAsync();

        using var rsp = await f.Http.GetAsync("v1/version");

        Assert.Equal(HttpStatusCode.OK, rsp.StatusCode);
        using var doc = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        Assert.Equal(ControlHttpServer.ApiVersion, doc.RootElement.GetProperty("api").GetInt32());
        Assert.Equal("sharpsand", doc.RootElement.GetProperty("product").GetString());
        Assert.Equal(ControlServerFixture.ProductVersion, doc.RootElement.GetProperty("version").GetString());
    }

    internal static HttpRequestMessage Put(string json, string? generation)
    {
        var req = new HttpRequestMessage(HttpMethod.Put, "v1/config") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (generation is not null) req.Headers.Add(ControlHttpServer.GenerationHeader, generation);
        return req;
    }
}
