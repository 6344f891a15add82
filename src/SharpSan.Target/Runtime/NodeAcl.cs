
namespace SharpSan.Target.Runtime;

/// <summary>A mapped LUN of an ACL: the LUN the initiator sees, the TPG LUN behind it, and write protection.</summary>
public readonly record struct MappedLun(ulong Lun, ulong TpgLun, bool WriteProtect);

/// <summary>A node ACL: one initiator allowed into a TPG, its CHAP credentials and LUN mapping.</summary>
public sealed class NodeAcl
{
    public NodeAcl(string initiatorName, ChapCredentials? chap, IReadOnlyList<MappedLun> mappedLuns)
    {
        InitiatorName = initiatorName;
        Chap = chap;
        MappedLuns = mappedLuns;
    }

    public string InitiatorName { get; }
    public ChapCredentials? Chap { get; }
    public IReadOnlyList<MappedLun> MappedLuns { get; }
    /// <summary>LIO ACL attribute "nopin_timeout": idle time before we ping (null = the daemon's default).</summary>
    public TimeSpan? NopInInterval { get; init; }
    /// <summary>LIO ACL attribute "nopin_response_timeout": how long a ping may go unanswered.</summary>
    public TimeSpan? NopInTimeout { get; init; }
}
