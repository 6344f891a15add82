namespace SharpSan.Scsi;

// The state the SBC-3 write-integrity commands keep per logical unit: the write gate that makes
// COMPARE AND WRITE, ORWRITE, WRITE ATOMIC and SANITIZE atomic against every other writer of the unit
// (SBC-3 5.2), and the sanitize operation in progress or failed (SBC-3 4.11).
public sealed partial class LogicalUnit
{
    /// <summary>Ordinary writers pass it, atomic commands close it (see <see cref="AtomicWriteGate"/>).</summary>
    internal AtomicWriteGate WriteGate { get; } = new();

    /// <summary>The sanitize operation of this unit, running or failed (SBC-3 4.11).</summary>
    internal SanitizeState Sanitize { get; } = new();

    /// <summary>True while a SANITIZE operation overwrites or erases this unit: every command but
    /// INQUIRY, REPORT LUNS and REQUEST SENSE gets NOT READY, SANITIZE IN PROGRESS.</summary>
    public bool SanitizeInProgress => Sanitize.Running;
}
