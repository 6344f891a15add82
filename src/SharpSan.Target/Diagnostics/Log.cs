namespace SharpSan.Target.Diagnostics;

public enum LogLevel
{
    Debug = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
}

/// <summary>
/// The daemon's log: one line per event on stderr, with a level and a UTC timestamp, so journald or a
/// terminal shows it as is. Callers never pass secrets (CHAP passwords and responses stay out).
/// </summary>
public static class Log
{
    private static readonly object Gate = new();

    public static LogLevel MinimumLevel { get; set; } = LogLevel.Info;
    public static TextWriter Output { get; set; } = Console.Error;

    public static bool IsEnabled(LogLevel level) => level >= MinimumLevel;

    public static void Debug(string message) => Write(LogLevel.Debug, message);
    public static void Info(string message) => Write(LogLevel.Info, message);
    public static void Warning(string message) => Write(LogLevel.Warning, message);
    public static void Error(string message) => Write(LogLevel.Error, message);

    public static void Write(LogLevel level, string message)
    {
        if (level < MinimumLevel) return;
        var tag = level switch
        {
            LogLevel.Debug => "debug",
            LogLevel.Info => "info",
            LogLevel.Warning => "warning",
            _ => "error",
        };
        lock (Gate)
        {
            Output.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} sharpsand {tag}: {message}");
            Output.Flush();
        }
    }
}
