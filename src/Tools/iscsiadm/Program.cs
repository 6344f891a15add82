using SharpSan.Iscsid.Client;
using SharpSan.IscsiAdm;
using SharpSan.IscsiAdm.Backends;
using SharpSan.NodeRecords;

// iscsiadm for SharpSAN: wiring only; parsing and output live in SharpSan.IscsiAdm, records in SharpSan.NodeRecords.
// Discovery runs in this process with SharpSan.Initiator. Sessions live in the SharpSAN iscsid
// (SharpSan.Iscsid), reached over $SHARPSAN_ISCSI_ROOT/iscsid.sock or /run/sharpsan/iscsid.sock and
// started on demand from the iscsid executable next to this one.
IscsiAdmBackends.Discovery = () => new InitiatorDiscoveryBackend(NodeDatabase.FromEnvironment().InitiatorNamePath);
IscsiAdmBackends.Sessions = () => new IscsidSessionBackend(new IscsidClientOptions
{
    DaemonPath = Path.Combine(AppContext.BaseDirectory, "iscsid"),
});
return await IscsiAdmCommand.RunAsync(args);
