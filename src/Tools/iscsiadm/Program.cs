using SharpSan.IscsiAdm;
using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Database;

// iscsiadm for SharpSAN: wiring only; parsing, records and output live in SharpSan.IscsiAdm.
// Discovery runs in this process with SharpSan.Initiator. Sessions need the SharpSAN iscsid (not
// available yet): until it is wired here, login/logout/session commands exit 20 with a one-line reason.
IscsiAdmBackends.Discovery = () => new InitiatorDiscoveryBackend(NodeDatabase.FromEnvironment().InitiatorNamePath);
return await IscsiAdmCommand.RunAsync(args);
