namespace SharpSan.Target;

/// <summary>How a sent PDU uses StatSN (RFC 7143 §4.2.2.2, §11.8.1, §11.19).</summary>
internal enum StatSnUse
{
    /// <summary>Carries status: gets the next StatSN, which then advances.</summary>
    Advance,
    /// <summary>Carries the next StatSN without advancing it (R2T, unsolicited NOP-In).</summary>
    Peek,
    /// <summary>Field not meaningful (Data-In without status): zero.</summary>
    None,
}
