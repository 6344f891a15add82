namespace SharpSan.Scsi;

/// <summary>ASCII fields of SCSI data (SPC-4 4.4.1: printable 0x20-0x7E, left-aligned, space padded).</summary>
internal static class Ascii
{
    /// <summary>Writes <paramref name="text"/> into <paramref name="field"/>, truncated, padded with spaces;
    /// characters outside 0x20-0x7E become '_'.</summary>
    public static void Pad(Span<byte> field, string? text)
    {
        field.Fill((byte)' ');
        if (text is null)
        {
            return;
        }

        int count = Math.Min(field.Length, text.Length);
        for (int i = 0; i < count; i++)
        {
            char c = text[i];
            field[i] = c is >= ' ' and <= '~' ? (byte)c : (byte)'_';
        }
    }

    /// <summary>Writes <paramref name="text"/> unpadded and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, string text)
    {
        int count = Math.Min(destination.Length, text.Length);
        for (int i = 0; i < count; i++)
        {
            char c = text[i];
            destination[i] = c is >= ' ' and <= '~' ? (byte)c : (byte)'_';
        }

        return count;
    }
}
