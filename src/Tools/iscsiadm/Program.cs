using SharpSan.IscsiAdm;

// iscsiadm for SharpSAN: wiring only; parsing, records and output live in SharpSan.IscsiAdm.
// The protocol backends are set here once the initiator and iscsid exist, e.g.
//   IscsiAdmBackends.Discovery = () => new InitiatorDiscoveryBackend(...);
//   IscsiAdmBackends.Sessions = () => new IscsidSessionBackend(...);
// Until then discovery and session commands exit 20 with a one-line reason.
return await IscsiAdmCommand.RunAsync(args);
