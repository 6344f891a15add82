using System.Diagnostics;
using SharpSan.Config;
using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

/// <summary>
/// SANITIZE with IMMED=0 is a command that waits for a long operation of the logical unit. ABORT TASK
/// ends the command at once (the abort does not wait for the whole overwrite), while the operation
/// carries on: the unit keeps answering NOT READY, SANITIZE IN PROGRESS until it is done (SBC-3 4.11).
/// </summary>
public sealed class SanitizeAbortTests
{
    private const int AbortTask = 1;

    [Fact]
    public async Task Abort_task_ends_a_waiting_sanitize_but_not_its_operation()
    {
        // 512 MiB at the default overwrite pace (128 MiB/s): at least four seconds of sanitize. Nothing
        // below measures time: the unit still answering SANITIZE IN PROGRESS after the abort's response
        // is what shows the abort did not wait for the operation.
        await using var h = await TargetHarness.StartAsync((Action<SanConfig, int>?)null, null, new TargetSetup { Size = 512 << 20 });
        using var c = h.LoginNormal();
        byte[] list = new byte[4 + 512];
        list[0] = 0x01;
        list[2] = 0x02;
        list.AsSpan(4).Fill(0xC3);
        byte[] sanitize = [0x48, 0x01, 0, 0, 0, 0, 0, 0x02, 0x04, 0];
        var clock = Stopwatch.StartNew();
        uint itt = c.SendCommand(sanitize, (uint)list.Length, write: true, immediateData: list);
        await Task.Delay(200);

        var rsp = c.TaskManagement(AbortTask, referencedItt: itt, refCmdSN: 1);
        Assert.Equal(Opcode.TaskManagementResponse, rsp.Opcode);
        Assert.Equal(0, rsp.Byte2);

        var tur = c.Command(TestUnitReady);
        Assert.Equal(2, tur.Byte3);
        Assert.Equal((2, 0x04, 0x1B), tur.Sense);

        while (clock.Elapsed < TimeSpan.FromSeconds(120) && c.Command(TestUnitReady).Byte3 != 0)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }
}
