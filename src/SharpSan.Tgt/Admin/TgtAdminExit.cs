namespace SharpSan.Tgt.Admin;

/// <summary>tgt-admin stopping with an exit code (its perl "exit N" and "die").</summary>
internal sealed class TgtAdminExit(int code) : Exception($"tgt-admin exits {code}")
{
    public int Code { get; } = code;
}
