using SharpSan.Target.Runtime;

namespace SharpSan.Target;

/// <summary>What the login state machine knows between login PDUs of one connection.</summary>
internal sealed class LoginState
{
    public LoginState(Negotiator negotiator) => Negotiator = negotiator;

    public Negotiator Negotiator { get; }
    public MemoryStream Text { get; } = new();
    public bool FirstSeen;
    public bool FirstResponseSent;
    public bool OperationalDeclared;
    public ulong Isid;
    public uint Itt;
    public ushort Cid;
    public string InitiatorName = "";
    public string InitiatorAlias = "";
    public bool Discovery;
    /// <summary>Non-zero for a connection reinstatement: the TSIH the session keeps.</summary>
    public ushort ReinstateTsih;
    public IscsiTargetNode? Target;
    public TargetPortalGroup? Tpg;
    public NodeAcl? Acl;
    /// <summary>CHAP credentials that apply to this initiator, if any: usually one, several for a tgt
    /// target with several incoming accounts.</summary>
    public IReadOnlyList<ChapCredentials>? Credentials;
    public bool AuthRequired;
    /// <summary>"None" or "CHAP" once AuthMethod was negotiated.</summary>
    public string? AuthMethod;
    public ChapTargetExchange? Chap;
    public bool Authenticated;
}
