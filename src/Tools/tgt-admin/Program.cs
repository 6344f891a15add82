using SharpSan.Control;
using SharpSan.Tgt;
using SharpSan.Tgt.Admin;

// tgt-admin for SharpSAN: wiring only; targets.conf is read by SharpSan.Config, what tgt-admin does
// with it lives in SharpSan.Tgt. The daemon is found as tgtadm finds it.
return await TgtAdminMain.RunAsync(args, path => new ControlHttpClient(path), Console.Out, Console.Error,
    Environment.GetEnvironmentVariable(TgtControlSocket.EnvironmentVariable));
