namespace SharpSan.Protocol;

/// <summary>How a key's outcome is computed from the two sides' values (RFC 7143 §6.2.2, §13).</summary>
public enum NegotiationRule
{
    /// <summary>Each side declares its own value; no result function (§6.2.1 "declarative").</summary>
    Declarative,
    /// <summary>Comma-separated list; the responder picks the first value of the offer it supports.</summary>
    List,
    /// <summary>Numerical, result is the smaller value.</summary>
    Min,
    /// <summary>Numerical, result is the larger value.</summary>
    Max,
    /// <summary>Boolean, result is the AND of both values.</summary>
    And,
    /// <summary>Boolean, result is the OR of both values.</summary>
    Or,
}

/// <summary>Where a key may be used (§13: "Use: LO, IO, FFPO, ALL").</summary>
[Flags]
public enum KeyUse
{
    /// <summary>Security negotiation stage (AuthMethod, CHAP_*).</summary>
    Security = 1,
    /// <summary>Operational negotiation stage.</summary>
    Operational = 2,
    /// <summary>Text requests in full feature phase (SendTargets, TargetAddress...).</summary>
    FullFeature = 4,
    /// <summary>Leading only: only on the first connection of a session.</summary>
    LeadingOnly = 8,
    /// <summary>Irrelevant in a discovery session (answered "Irrelevant", as LIO does).</summary>
    NormalSessionOnly = 16,
    /// <summary>Declared only by the initiator (a target offering it is a protocol error).</summary>
    InitiatorOnly = 32,
    /// <summary>Declared only by the target.</summary>
    TargetOnly = 64,
}

/// <summary>One RFC 7143 key: its rule, legal range and default.</summary>
public sealed record KeyDefinition(
    string Name,
    NegotiationRule Rule,
    KeyUse Use,
    string Default,
    long Min = 0,
    long Max = 0,
    string[]? Values = null);
