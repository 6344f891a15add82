using SharpSan.Scsi;
namespace SharpSan.Initiator;

/// <summary>The outcome of one SCSI command (RFC 7143 §11.4): status, sense, residuals.</summary>
public sealed class ScsiResult
{
    public const byte Good = 0x00, CheckCondition = 0x02, Busy = 0x08, ReservationConflict = 0x18, TaskSetFull = 0x28;

    internal ScsiResult(byte status, byte[] sense, bool overflow, bool underflow, int residualCount, int bytesTransferred)
    {
        Status = status;
        SenseBytes = sense;
        ResidualOverflow = overflow;
        ResidualUnderflow = underflow;
        ResidualCount = residualCount;
        BytesTransferred = bytesTransferred;
        Sense = SenseData.TryParse(sense, out var s) ? s : null;
    }

    /// <summary>SCSI status byte (SAM-5): 0x00 GOOD, 0x02 CHECK CONDITION, ...</summary>
    public byte Status { get; }
    public bool IsGood => Status == Good;
    /// <summary>Raw sense data (without the 2-byte SenseLength); empty when none.</summary>
    public byte[] SenseBytes { get; }
    /// <summary>Decoded sense, when present.</summary>
    public SenseData? Sense { get; }
    /// <summary>O bit: the target had more data than the expected length.</summary>
    public bool ResidualOverflow { get; }
    /// <summary>U bit: less data than the expected length was transferred.</summary>
    public bool ResidualUnderflow { get; }
    /// <summary>Residual Count (§11.4.5).</summary>
    public int ResidualCount { get; }
    /// <summary>Bytes actually moved: Data-In received, or the expected length minus an underflow for writes.</summary>
    public int BytesTransferred { get; }

    public override string ToString() => IsGood ? "GOOD" : Status == CheckCondition && Sense is { } s ? $"CHECK CONDITION, {s}" : $"status 0x{Status:x2}";
}
