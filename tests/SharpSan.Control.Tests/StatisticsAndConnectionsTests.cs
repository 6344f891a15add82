using System.Net;
using System.Text.Json;
using SharpSan.Control;

namespace SharpSan.Control.Tests;

/// <summary>GET /v1/statistics and DELETE /v1/sessions/{tsih}/connections/{cid} (tgtadm --op stat,
/// --mode conn --op delete): shapes, round trip through the client, NotFound.</summary>
public sealed class StatisticsAndConnectionsTests
{
    [Fact]
    public async Task Statistics_roundtrip_in_snake_case()
    {
        await using var f = await ControlServerFixture.StartAsync();
        var expected = new LunStatisticsInfo("iqn.2001-04.com.example:storage.disk1", 3, 1, 4096, 1, 4096, 1, 8192, 2, 8192, 2, 1);
        f.Backend.Statistics.Add(expected);

        using var rsp = await f.Http.GetAsync("v1/statistics");
        using var doc = JsonDocument.Parse(await rsp.Content.ReadAsStringAsync());
        Assert.Equal(8192, doc.RootElement[0].GetProperty("write_done_bytes").GetInt64());
        Assert.Equal(expected, Assert.Single(await f.Client.GetStatisticsAsync()));
    }

    [Fact]
    public async Task Closing_a_connection_reaches_the_backend_and_an_unknown_one_is_not_found()
    {
        await using var f = await ControlServerFixture.StartAsync();
        f.Backend.Sessions.Add(new SessionInfo("iqn.2001-04.com.example:t", 1, "iqn.1994-05.com.redhat:c", "", 7, "0x23d000000001",
            "Normal", "LOGGED_IN", true, [], [new ConnectionInfo(0, "192.0.2.10", "LOGGED_IN")]));

        await f.Client.CloseConnectionAsync(7, 0);
        Assert.Equal([((ushort)7, (ushort)0)], f.Backend.Closed);

        var ex = await Assert.ThrowsAsync<ControlException>(() => f.Client.CloseConnectionAsync(7, 1));
        Assert.Equal(ControlErrorKind.NotFound, ex.Kind);
        using var rsp = await f.Http.DeleteAsync("v1/sessions/x/connections/0");
        Assert.Equal(HttpStatusCode.BadRequest, rsp.StatusCode);
    }
}
