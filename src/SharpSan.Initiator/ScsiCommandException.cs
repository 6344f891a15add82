using SharpSan.Scsi;
namespace SharpSan.Initiator;

/// <summary>A command that ended with a status other than GOOD, with its decoded sense.</summary>
public sealed class ScsiCommandException : Exception
{
    public ScsiCommandException(string operation, ScsiResult result)
        : base($"{operation} failed: {result}")
    {
        Result = result;
    }

    public ScsiResult Result { get; }
    public byte Status => Result.Status;
    public SenseData? Sense => Result.Sense;
}
