namespace SharpSan.Target;

/// <summary>
/// How the daemon asks .NET's socket engine to run completions. By default the epoll thread hands
/// every completed receive to a pool thread, which then wakes the thread that runs the command: two
/// context switches per PDU, measured as most of the target's CPU per I/O. With inline completions
/// the epoll thread runs the receive loop itself, and because the loop executes page-cache and memory
/// I/O inline and never blocks (anything that could block goes to the pool), a 4 KiB read costs one
/// recv, one pread and one send on one thread. The runtime then starts one epoll thread per CPU, so
/// connections still spread over every core.
/// </summary>
public static class SocketEngine
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on unless the environment chose; must run before the first
    /// socket is created (the runtime reads the setting once).</summary>
    public static void PreferInlineCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
