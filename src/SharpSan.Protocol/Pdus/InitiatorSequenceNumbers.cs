namespace SharpSan.Protocol;

/// <summary>
/// CmdSN and ExpStatSN, which the initiator's requests carry at bytes 24-31 (RFC 7143 §11.3, §11.5,
/// §11.10, §11.12, §11.14, §11.18): the command's number in the session's ordering (§4.2.2.1; an
/// immediate request carries the current one without consuming it) and the next StatSN the initiator
/// expects, which acknowledges every status before it (§4.2.2.2).
/// </summary>
public readonly record struct InitiatorSequenceNumbers(uint CmdSN, uint ExpStatSN)
{
    public static InitiatorSequenceNumbers Read(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new InitiatorSequenceNumbers(PduFields.U32(b, 24), PduFields.U32(b, 28));
    }

    /// <summary>Writes bytes 24-31 of a request's BHS.</summary>
    public void WriteTo(Span<byte> bhs)
    {
        var b = bhs[..Bhs.Length];
        PduFields.Put(b, 24, CmdSN);
        PduFields.Put(b, 28, ExpStatSN);
    }
}
