using SharpSan.Control;
using SharpSan.Tgt;
using SharpSan.Tgt.Tgtadm;

// tgtadm for SharpSAN: wiring only; the options, the operations on the tree and tgt's output live in
// SharpSan.Tgt. The daemon is found as targetcli finds it ($SHARPSAN_CONTROL_SOCKET or the default).
return await TgtadmMain.RunAsync(args, path => new ControlHttpClient(path), Console.Out, Console.Error,
    Environment.GetEnvironmentVariable(TgtControlSocket.EnvironmentVariable));
