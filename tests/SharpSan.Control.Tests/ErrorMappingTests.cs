using System.Net;
using System.Text.Json;
using SharpSan.Control;

namespace SharpSan.Control.Tests;

/// <summary>Each refusal kind becomes its HTTP status and a {error, kind} body, and the client turns
/// it back into the same <see cref="ControlException"/>.</summary>
public sealed class ErrorMappingTests
{
    public static TheoryData<ControlErrorKind, int, string> Kinds => new()
    {
        { ControlErrorKind.Invalid, 400, "invalid" },
        { ControlErrorKind.Conflict, 409, "conflict" },
        { ControlErrorKind.Failed, 500, "failed" },
        { ControlErrorKind.Unavailable, 503, "unavailable" },
    };

    private const string Message = "new configuration: $.targets[0].tpgs[0].luns[1].storage_object: no storage object \"/backstores/ramdisk/nope\" (é)";

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_refused_put_has_its_status_and_a_readable_body(ControlErrorKind kind, int status, string name)
    {
        await using var f = await ControlServerFixture.StartAsync();
        f.Backend.NextRefusal = new ControlException(kind, Message);

        using var rsp = await f.Http.SendAsync(ConfigEndpointTests.Put(f.Backend.Json, "1"));

        Assert.Equal(status, (int)rsp.StatusCode);
        var text = await rsp.Content.ReadAsStringAsync();
        // Readable for people using curl: quotes escaped as \" (not \u0022), non-ASCII as it is.
        Assert.Contains("\\\"/backstores/ramdisk/nope\\\" (é)", text);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(["error", "kind"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Message, doc.RootElement.GetProperty("error").GetString());
        Assert.Equal(name, doc.RootElement.GetProperty("kind").GetString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_client_turns_a_refused_put_back_into_its_kind_and_message(ControlErrorKind kind, int status, string name)
    {
        _ = (status, name);
        await using var f = await ControlServerFixture.StartAsync();
        var snap = await f.Client.GetConfigAsync();
        f.Backend.NextRefusal = new ControlException(kind, Message);

        var ex = await Assert.ThrowsAsync<ControlException>(() => f.Client.PutConfigAsync(snap.Config, snap.Generation));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(Message, ex.Message);
        Assert.Equal(1, f.Backend.Generation);
    }

    [Theory]
    [InlineData(ControlErrorKind.Failed, 500)]
    [InlineData(ControlErrorKind.Invalid, 400)]
    public async Task A_refused_save_maps_the_same_way(ControlErrorKind kind, int status)
    {
        await using var f = await ControlServerFixture.StartAsync();
        f.Backend.NextRefusal = new ControlException(kind, "cannot save to /nowhere/saveconfig.json: Permission denied");

        using (var rsp = await f.Http.PostAsync("v1/config/save", null))
            Assert.Equal(status, (int)rsp.StatusCode);

        f.Backend.NextRefusal = new ControlException(kind, "cannot save to /nowhere/saveconfig.json: Permission denied");
        var ex = await Assert.ThrowsAsync<ControlException>(() => f.Client.SaveConfigAsync("/nowhere/saveconfig.json"));
        Assert.Equal(kind, ex.Kind);
        Assert.Equal("cannot save to /nowhere/saveconfig.json: Permission denied", ex.Message);
    }
}
