using SharpSan.Protocol;
using System.Security.Cryptography;

namespace SharpSan.Initiator;

/// <summary>
/// Everything an initiator declares and proposes at login (RFC 7143 §13), plus its timers. The
/// operational proposals default to open-iscsi's iscsid.conf values so sessions look alike.
/// </summary>
public sealed class InitiatorOptions
{
    /// <summary>Our iSCSI name, sent as InitiatorName (§13.5).</summary>
    public string InitiatorName { get; set; } = "iqn.2025-01.org.sharpsan:initiator";
    /// <summary>Optional InitiatorAlias (§13.7); empty sends none.</summary>
    public string InitiatorAlias { get; set; } = "";
    /// <summary>The 48-bit ISID (§11.12.5). Defaults to a random-format ISID (type 0x80).</summary>
    public ulong Isid { get; set; } = NewRandomIsid();
    /// <summary>CHAP credentials (RFC 7143 §12.1.3), the same type the target checks against: our
    /// CHAP_N and secret, and for mutual CHAP the secret the target must prove it knows (with the
    /// name it must present; empty accepts any). Null logs in with AuthMethod=None.
    /// <see cref="ChapCredentials.ToString"/> hides the secrets.</summary>
    public ChapCredentials? Chap { get; set; }
    /// <summary>CHAP_A offer in preference order: "7,5" (SHA-256, MD5) or "5".</summary>
    public string ChapAlgorithms { get; set; } = "7,5";

    /// <summary>HeaderDigest offer in preference order (§13.1).</summary>
    public string HeaderDigest { get; set; } = "None,CRC32C";
    /// <summary>DataDigest offer in preference order (§13.1).</summary>
    public string DataDigest { get; set; } = "None,CRC32C";

    /// <summary>§13.10.</summary>
    public bool InitialR2T { get; set; }
    /// <summary>§13.11.</summary>
    public bool ImmediateData { get; set; } = true;
    /// <summary>§13.14.</summary>
    public int FirstBurstLength { get; set; } = 262144;
    /// <summary>§13.13.</summary>
    public int MaxBurstLength { get; set; } = 16776192;
    /// <summary>What we accept per PDU (§13.12, declarative).</summary>
    public int MaxRecvDataSegmentLength { get; set; } = 262144;
    /// <summary>§13.17: open-iscsi offers 1; more R2Ts in flight help large writes.</summary>
    public int MaxOutstandingR2T { get; set; } = 8;
    /// <summary>§13.15.</summary>
    public int DefaultTime2Wait { get; set; } = 2;
    /// <summary>§13.16: 0 as open-iscsi (no connection recovery state kept at the target).</summary>
    public int DefaultTime2Retain { get; set; }
    /// <summary>§13.20: only level 0 is implemented.</summary>
    public int ErrorRecoveryLevel { get; set; }
    /// <summary>§13.2: one connection per session.</summary>
    public int MaxConnections { get; set; } = 1;

    /// <summary>Bound on a whole login (connect, every login PDU).</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Idle time after which a NOP-Out ping is sent.</summary>
    public TimeSpan NopOutInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>A ping (or a stalled write) not completed within this time drops the connection.</summary>
    public TimeSpan NopOutTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How long outstanding commands wait for the session to be re-established after a
    /// connection loss before they fail.</summary>
    public TimeSpan ReplacementTimeout { get; set; } = TimeSpan.FromSeconds(120);
    /// <summary>A command without status after this time (while connected) is aborted and fails.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Target redirects (login status 0x0101/0x0102) followed before giving up.</summary>
    public int MaxRedirects { get; set; } = 4;

    /// <summary>A new random ISID: type 0x80 (random format, §11.12.5 / RFC 3721 §5), 24 random bits
    /// in B and C, and a random 16-bit qualifier D.</summary>
    public static ulong NewRandomIsid()
    {
        Span<byte> r = stackalloc byte[5];
        RandomNumberGenerator.Fill(r);
        ulong isid = 0x80UL << 40;
        for (int i = 0; i < 5; i++) isid |= (ulong)r[i] << (8 * (4 - i));
        return isid;
    }

    /// <summary>A shallow copy, so a session keeps its settings when the caller changes theirs.</summary>
    public InitiatorOptions Clone() => (InitiatorOptions)MemberwiseClone();
}
