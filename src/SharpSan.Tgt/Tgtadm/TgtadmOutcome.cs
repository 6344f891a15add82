namespace SharpSan.Tgt.Tgtadm;

/// <summary>What a tgtadm run prints and its exit code.</summary>
internal sealed record TgtadmOutcome(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>tgtadm's exit code for every refusal: EINVAL.</summary>
    public const int Einval = 22;

    /// <summary>ENOTCONN: tgtadm could not reach the daemon.</summary>
    public const int Enotconn = 107;

    public static TgtadmOutcome Ok(string stdout = "") => new(0, stdout, "");

    /// <summary>"tgtadm: TEXT" on stderr (tgtadm's eprintf).</summary>
    public static TgtadmOutcome Fail(int exitCode, string message) => new(exitCode, "", $"tgtadm: {message}\n");
}
