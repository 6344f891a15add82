using SharpSan.Control;

namespace SharpSan.Tgt;

/// <summary>
/// Where tgtadm and tgt-admin find the daemon: as targetcli does, $SHARPSAN_CONTROL_SOCKET, else the
/// default control socket. tgt's -C/--control-port N picks the tgtd listening on socket "PATH.N"
/// (usr/tgtadm.c ipc_mgmt_connect); here N other than 0 means the sharpsand started with
/// --control-socket PATH.N, so several daemons can be told apart the same way.
/// </summary>
public static class TgtControlSocket
{
    public const string EnvironmentVariable = "SHARPSAN_CONTROL_SOCKET";

    public static string Resolve(int controlPort, string? socketFromEnvironment)
    {
        var path = string.IsNullOrEmpty(socketFromEnvironment) ? ControlHttpServer.DefaultSocketPathForThisUser() : socketFromEnvironment;
        return controlPort == 0 ? path : $"{path}.{controlPort}";
    }
}
