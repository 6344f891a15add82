using System.Runtime.InteropServices;

namespace SharpSan.Platform;

/// <summary>
/// Runs a step with the process umask at 0077, so whatever it creates (the control socket, which
/// bind(2) creates with mode 0777 &amp; ~umask) is never readable or writable by anyone but its owner,
/// not even for the moment before an explicit chmod. The umask is process-wide: only for start-up
/// steps, while nothing else is creating files.
/// </summary>
public static class PrivateFileCreation
{
    private const uint OwnerOnly = 0x3F; // 0077: no group or other permission bits

    // One step at a time: two overlapping steps would each restore the other's 0077.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);

    public static async Task RunAsync(Func<Task> step)
    {
        if (!OperatingSystem.IsLinux())
        {
            await step();
            return;
        }
        await Gate.WaitAsync();
        uint previous = SetUmask(OwnerOnly);
        try
        {
            await step();
        }
        finally
        {
            SetUmask(previous);
            Gate.Release();
        }
    }
}
