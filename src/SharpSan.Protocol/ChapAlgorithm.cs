using System.Security.Cryptography;

namespace SharpSan.Protocol;

/// <summary>CHAP_A values (RFC 7143 §12.1.3; RFC 1994; IANA "PPP Authentication Algorithms"):
/// 5 = MD5, 6 = SHA-1, 7 = SHA-256, 8 = SHA3-256.</summary>
public enum ChapAlgorithm
{
    Md5 = 5,
    Sha1 = 6,
    Sha256 = 7,
    Sha3_256 = 8,
}

/// <summary>CHAP computations shared by target and initiator (RFC 1994 §4.1): the response is
/// H(identifier || secret || challenge).</summary>
public static class Chap
{
    public static int DigestLength(ChapAlgorithm a) => a switch
    {
        ChapAlgorithm.Md5 => 16,
        ChapAlgorithm.Sha1 => 20,
        _ => 32,
    };

    public static bool IsSupported(ChapAlgorithm a) => a switch
    {
        ChapAlgorithm.Md5 or ChapAlgorithm.Sha1 or ChapAlgorithm.Sha256 => true,
        ChapAlgorithm.Sha3_256 => SHA3_256.IsSupported,
        _ => false,
    };

    public static byte[] ComputeResponse(ChapAlgorithm algorithm, byte identifier, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> challenge)
    {
        var input = new byte[1 + secret.Length + challenge.Length];
        input[0] = identifier;
        secret.CopyTo(input.AsSpan(1));
        challenge.CopyTo(input.AsSpan(1 + secret.Length));
        try
        {
            return algorithm switch
            {
                ChapAlgorithm.Md5 => MD5.HashData(input),
                ChapAlgorithm.Sha1 => SHA1.HashData(input),
                ChapAlgorithm.Sha256 => SHA256.HashData(input),
                ChapAlgorithm.Sha3_256 => SHA3_256.HashData(input),
                _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input); // the secret must not linger
        }
    }

    /// <summary>Decodes a binary-value (RFC 7143 §6.1): "0x" hex or "0b" base64.</summary>
    public static bool TryDecodeBinary(string value, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        if (value.Length < 3) return false;
        var prefix = value.AsSpan(0, 2);
        var body = value.AsSpan(2);
        try
        {
            if (prefix.Equals("0x", StringComparison.OrdinalIgnoreCase))
            {
                // An odd number of hex digits is allowed: a leading zero nibble is implied.
                string hex = body.Length % 2 == 1 ? "0" + body.ToString() : body.ToString();
                bytes = Convert.FromHexString(hex);
                return true;
            }
            if (prefix.Equals("0b", StringComparison.OrdinalIgnoreCase))
            {
                bytes = Convert.FromBase64String(body.ToString());
                return true;
            }
        }
        catch (FormatException)
        {
        }
        return false;
    }

    public static string EncodeHex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
