namespace SharpSan.Initiator.Tests;

/// <summary>A fact that is skipped, with the reason, when tgtd is not installed.</summary>
public sealed class TgtFactAttribute : FactAttribute
{
    public TgtFactAttribute()
    {
        if (TgtdProcess.Path is null) Skip = "tgtd is not installed (Debian package tgt; ./test.sh installs it)";
        else if (!OperatingSystem.IsLinux()) Skip = "tgtd needs Linux";
    }
}
