using SharpSan.Iscsid.Protocol;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Daemon;

public sealed partial class IscsidDaemon
{
    /// <summary>login, logout, list; answers with an open-iscsi error code and a reason.</summary>
    private async Task<IscsidResponse> DispatchAsync(IscsidRequest request, CancellationToken ct)
    {
        switch (request.Op)
        {
            case IscsidProtocol.List:
                return new IscsidResponse { Sessions = _sessions.List() };
            case IscsidProtocol.Login:
                if (request.Node is null || request.Node.Count == 0)
                    return Fail(IscsiError.InvalidArgument, "login needs a node record (\"node\")");
                var record = ToRecord(request.Node);
                if (record.TargetName.Length == 0)
                    return Fail(IscsiError.InvalidArgument, "the node record has no node.name");
                var login = await _sessions.LoginAsync(record, ct);
                return new IscsidResponse { Error = (int)login.Error, Message = login.Message, Sid = login.Sid };
            case IscsidProtocol.Logout:
                if (request.Sid is not int sid)
                    return Fail(IscsiError.InvalidArgument, "logout needs a session id (\"sid\")");
                var logout = await _sessions.LogoutAsync(sid, ct);
                return new IscsidResponse { Error = (int)logout.Error, Message = logout.Message };
            default:
                return Fail(IscsiError.InvalidMgmtRequest, $"unknown request \"{request.Op}\"");
        }
    }

    /// <summary>The node record from its key/value pairs; keys outside open-iscsi's schema are ignored.</summary>
    internal static NodeRecord ToRecord(IReadOnlyDictionary<string, string> values)
    {
        var record = new NodeRecord();
        foreach (var (key, value) in values)
        {
            if (record.Schema.Find(key) is not null)
                record[key] = value;
        }
        return record;
    }

    private static IscsidResponse Fail(IscsiError error, string message) => new() { Error = (int)error, Message = message };
}
