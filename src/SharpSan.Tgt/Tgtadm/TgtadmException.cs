namespace SharpSan.Tgt.Tgtadm;

/// <summary>
/// A request tgtd would refuse with <see cref="Error"/>. <see cref="Detail"/> is set where SharpSAN
/// refuses something tgtd would accept (a feature it does not serve), so the person learns why:
/// printed as "tgtadm: invalid request (bstype sg: SCSI pass-through is not supported ...)".
/// </summary>
internal sealed class TgtadmException(TgtadmError error, string? detail = null)
    : Exception(detail is null ? TgtadmErrors.Text(error) : $"{TgtadmErrors.Text(error)} ({detail})")
{
    public TgtadmError Error { get; } = error;
    public string? Detail { get; } = detail;
}
