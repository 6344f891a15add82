using System.Net;
using System.Text.Json;
using SharpSan.Control;

namespace SharpSan.Control.Tests;

/// <summary>GET /v1/sessions: the JSON shape docs/control-api.md shows, and the client's reading of it.</summary>
public sealed class SessionsTests
{
    private static SessionInfo Sample() => new(
        TargetName: "iqn.2026-11.io.sharpsan:demo",
        Tpg: 1,
        InitiatorName: "iqn.1994-05.com.redhat:client",
        InitiatorAlias: "client",
        Tsih: 1,
        Isid: "0x23d000000001",
        SessionType: "Normal",
        State: "LOGGED_IN",
        DynamicAcl: false,
        Luns: [new SessionLunInfo(0, "fileio/disk1", false), new SessionLunInfo(3, "ramdisk/rd1", true)],
        Connections: [new ConnectionInfo(0, "192.0.2.10", "LOGGED_IN")]);

    [Fact]
    public async Task No_sessions_is_an_empty_array()
    {
        await using var f = await ControlServerFixture.StartAsync();

        using var rsp = await f.Http.GetAsync("v1/sessions");

        Assert.Equal(HttpStatusCode.OK, rsp.StatusCode);
        using var doc = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        Assert.Equal(0, doc.RootElement.GetArrayLength());
        Assert.Empty(await f.Client.GetSessionsAsync());
    }

    [Fact]
    public async Task A_session_has_the_documented_snake_case_shape()
    {
        await using var f = await ControlServerFixture.StartAsync();
        f.Backend.Sessions.Add(Sample());

        using var rsp = await f.Http.GetAsync("v1/sessions");

        Assert.Equal("application/json", rsp.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        var s = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(
            ["target_name", "tpg", "initiator_name", "initiator_alias", "tsih", "isid", "session_type", "state", "dynamic_acl", "luns", "connections"],
            s.EnumerateObject().Select(p => p.Name));
        Assert.Equal("iqn.2026-11.io.sharpsan:demo", s.GetProperty("target_name").GetString());
        Assert.Equal(1, s.GetProperty("tpg").GetInt32());
        Assert.Equal("iqn.1994-05.com.redhat:client", s.GetProperty("initiator_name").GetString());
        Assert.Equal("client", s.GetProperty("initiator_alias").GetString());
        Assert.Equal(1, s.GetProperty("tsih").GetInt32());
        Assert.Equal("0x23d000000001", s.GetProperty("isid").GetString());
        Assert.Equal("Normal", s.GetProperty("session_type").GetString());
        Assert.Equal("LOGGED_IN", s.GetProperty("state").GetString());
        Assert.False(s.GetProperty("dynamic_acl").GetBoolean());

        var luns = s.GetProperty("luns").EnumerateArray().ToList();
        Assert.Equal(2, luns.Count);
        Assert.Equal(["lun", "storage_object", "write_protect"], luns[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(0UL, luns[0].GetProperty("lun").GetUInt64());
        Assert.Equal("fileio/disk1", luns[0].GetProperty("storage_object").GetString());
        Assert.False(luns[0].GetProperty("write_protect").GetBoolean());
        Assert.Equal(3UL, luns[1].GetProperty("lun").GetUInt64());
        Assert.True(luns[1].GetProperty("write_protect").GetBoolean());

        var c = Assert.Single(s.GetProperty("connections").EnumerateArray());
        Assert.Equal(["cid", "address", "state"], c.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, c.GetProperty("cid").GetInt32());
        Assert.Equal("192.0.2.10", c.GetProperty("address").GetString());
        Assert.Equal("LOGGED_IN", c.GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_client_reads_sessions_back_field_for_field()
    {
        await using var f = await ControlServerFixture.StartAsync();
        var expected = Sample();
        f.Backend.Sessions.Add(expected);

        var s = Assert.Single(await f.Client.GetSessionsAsync());

        Assert.Equal(expected with { Luns = [], Connections = [] }, s with { Luns = [], Connections = [] });
        Assert.Equal(expected.Luns, s.Luns);
        Assert.Equal(expected.Connections, s.Connections);
    }
}
