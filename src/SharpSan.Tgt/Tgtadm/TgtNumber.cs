namespace SharpSan.Tgt.Tgtadm;

/// <summary>
/// tgt's number options (usr/util.h str_to_int and str_to_int_ge): C's strtoull with base 0 (hex
/// "0x", octal "0", decimal; a leading '-' negates modulo 2^64; text after the digits is ignored),
/// EINVAL when nothing was read or the value is ULLONG_MAX, ERANGE when it does not fit the C type
/// or is below the minimum.
/// </summary>
internal static class TgtNumber
{
    public const int Einval = 22;
    public const int Erange = 34;

    /// <summary>strtoull(text, &amp;end, 0): the value and whether any digit was read.</summary>
    public static bool StrToULL(string text, out ulong value)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-') negative = text[i++] == '-';
        var numberBase = 10;
        if (i < text.Length && text[i] == '0')
        {
            if (i + 2 < text.Length && text[i + 1] is 'x' or 'X' && Uri.IsHexDigit(text[i + 2]))
            {
                numberBase = 16;
                i += 2;
            }
            else
                numberBase = 8;
        }
        var any = false;
        var overflow = false;
        for (; i < text.Length; i++)
        {
            var d = Digit(text[i]);
            if (d < 0 || d >= numberBase) break;
            any = true;
            var next = unchecked(value * (ulong)numberBase + (ulong)d);
            if (value > (ulong.MaxValue - (ulong)d) / (ulong)numberBase) overflow = true;
            value = next;
        }
        if (!any) { value = 0; return false; }
        if (overflow) value = ulong.MaxValue; // strtoull saturates (ERANGE); tgt sees ULLONG_MAX
        else if (negative) value = unchecked(0 - value);
        return true;
    }

    /// <summary>str_to_int_ge into a C int.</summary>
    public static bool TryParseInt(string text, int min, out int value, out int errno)
    {
        value = 0;
        errno = Common(text, out var ull);
        if (errno != 0) return false;
        value = unchecked((int)ull);
        if (unchecked((ulong)(long)value) != ull) { errno = Erange; return false; }
        if (value < min) { errno = Erange; return false; }
        return true;
    }

    /// <summary>str_to_int into a uint32_t.</summary>
    public static bool TryParseUInt32(string text, out uint value, out int errno)
    {
        value = 0;
        errno = Common(text, out var ull);
        if (errno != 0) return false;
        value = unchecked((uint)ull);
        if (value != ull) { errno = Erange; return false; }
        return true;
    }

    /// <summary>str_to_int into a uint64_t.</summary>
    public static bool TryParseUInt64(string text, out ulong value, out int errno)
    {
        errno = Common(text, out value);
        return errno == 0;
    }

    private static int Common(string text, out ulong ull) => !StrToULL(text, out ull) || ull == ulong.MaxValue ? Einval : 0;

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };
}
