using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>
/// One out/bin/sharpsand process on a temporary config and a free loopback port, stopped by its PID
/// (SIGTERM, then SIGKILL after a grace period) when disposed.
/// </summary>
internal sealed class TargetProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private TargetProcess(Process process, int port, string configPath)
    {
        _process = process;
        Port = port;
        ConfigPath = configPath;
    }

    public int Port { get; }
    public string ConfigPath { get; }
    public string ControlSocket => Path.Combine(Path.GetDirectoryName(ConfigPath)!, "control.sock");
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>out/bin/sharpsand; throws (failing the test) when ./build.sh has not built it.</summary>
    public static string Daemon => OutBin.Require("sharpsand");

    /// <summary>Writes <paramref name="config"/> into <paramref name="dir"/> and starts the daemon on it;
    /// returns once the portal accepts connections.</summary>
    public static TargetProcess Start(SanConfig config, string dir, int port, params string[] extraArgs)
    {
        var path = Path.Combine(dir, "saveconfig.json");
        SaveConfigWriter.Save(config, path);
        return StartWithFile(path, port, extraArgs);
    }

    public static TargetProcess StartWithFile(string configPath, int port, params string[] extraArgs)
        => StartWithFile(configPath, port, waitForPortal: true, extraArgs);

    /// <summary>Starts the daemon on a config file; with <paramref name="waitForPortal"/> false (a config
    /// with no portal yet) it is ready when the control API answers.</summary>
    public static TargetProcess StartWithFile(string configPath, int port, bool waitForPortal, params string[] extraArgs)
        => Launch(configPath, port, waitForPortal, ["--config", configPath, .. extraArgs]);

    /// <summary>Starts the daemon with <paramref name="args"/> (say --ietd FILE) instead of --config; its
    /// control socket is control.sock in <paramref name="dir"/>.</summary>
    public static TargetProcess StartWithArguments(string dir, int port, params string[] args)
        => Launch(Path.Combine(dir, "saveconfig.json"), port, waitForPortal: true, args);

    private static TargetProcess Launch(string configPath, int port, bool waitForPortal, string[] args)
    {
        var psi = new ProcessStartInfo(Daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--log-level");
        psi.ArgumentList.Add("debug");
        psi.ArgumentList.Add("--control-socket");
        psi.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(configPath)!, "control.sock"));
        var p = Process.Start(psi)!;
        var t = new TargetProcess(p, port, configPath);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (t._log) t._log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (t._log) t._log.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            t.WaitUntilListening(TimeSpan.FromSeconds(60), waitForPortal);
        }
        catch
        {
            // Never leave a daemon behind: a start that failed still stops the process it began.
            t.Dispose();
            throw;
        }
        return t;
    }

    private void WaitUntilListening(TimeSpan timeout, bool waitForPortal)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"sharpsand exited with {_process.ExitCode} at start:\n{Log}");
            try
            {
                if (waitForPortal)
                {
                    using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    s.Connect(IPAddress.Loopback, Port);
                }
                // Ready once the control API answers too (it starts right after the portals).
                if (!File.Exists(ControlSocket))
                {
                    Thread.Sleep(50);
                    continue;
                }
                using var c = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                c.Connect(new UnixDomainSocketEndPoint(ControlSocket));
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException($"sharpsand did not listen on port {Port} within {timeout}:\n{Log}");
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public int Stop(TimeSpan? grace = null)
    {
        if (!_process.HasExited)
        {
            Tool.Run("kill", "-TERM", _process.Id.ToString());
            if (!_process.WaitForExit(grace ?? TimeSpan.FromSeconds(60)))
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to flush anything.</summary>
    public void KillHard()
    {
        if (_process.HasExited) return;
        Tool.Run("kill", "-KILL", _process.Id.ToString());
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Stop(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
