namespace SharpSan.Config;

/// <summary>
/// Parses a "Lun" line. ietd.conf(5): "Lun &lt;lun&gt; Type=(fileio|blockio),Path=&lt;device&gt;[,ScsiId=&lt;scsi_id&gt;]
/// [,ScsiSN=&lt;scsi_sn&gt;][,IOMode=(wb|ro|wt)][,BlockSize=&lt;size&gt;]"; "Parameters after &lt;lun&gt; should
/// not contain any blank space"; "&lt;lun&gt; can be between 0 and 2^14-1". The kernel splits the parameters
/// at commas and matches each against "Name=%s" case-sensitively (kernel/volume.c set_iotype,
/// file-io.c/block-io.c parse_*_params), refusing unknown ones and a second Path.
/// </summary>
internal static class IetLunParser
{
    /// <summary>volume_add: "if (info->lun > 0x3fff) return -EINVAL".</summary>
    public const ulong MaxLun = 0x3FFF;

    /// <summary>iet_u.h SCSI_ID_LEN 24 less the 8-character vendor field IET puts first; SCSI_SN_LEN 16.</summary>
    public const int MaxScsiId = 16, MaxScsiSerial = 16;

    private static readonly string[] Known = ["Type", "Path", "IOMode", "ScsiId", "ScsiSN", "BlockSize", "Blocks", "Sectors"];

    /// <summary>Returns the LUN, or throws naming <paramref name="source"/> and the line.</summary>
    public static IetLun Parse(IetLine line, string source)
    {
        if (line.Words.Count < 2)
            throw IetError.At(source, line.Number, "Lun needs a number and its parameters (Lun 0 Path=/dev/sdb,Type=blockio)");
        var numberText = line.Words[1];
        // strtol(q, &q, 10): decimal digits.
        if (!numberText.All(char.IsAsciiDigit) || !ulong.TryParse(numberText, out var number))
            throw IetError.At(source, line.Number, $"Lun \"{numberText}\" is not a LUN number (0 to {MaxLun})");
        if (number > MaxLun)
            throw IetError.At(source, line.Number, $"Lun {number} is out of range (0 to {MaxLun})");
        string Fail(string reason) => throw IetError.At(source, line.Number, $"Lun {number}: {reason}");

        if (line.Words.Count < 3 || line.Words[2].StartsWith('#'))
            Fail("missing \"Path\" parameter");
        if (!line.EndsAfter(2))
            Fail($"blank space in the parameters before \"{line.Words[3]}\" (ietd.conf(5): no blanks after the LUN number; write Name=value,Name=value)");

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in line.Words[2].Split(','))
        {
            if (item.Length == 0) continue;
            var eq = item.IndexOf('=');
            var name = eq < 0 ? item : item[..eq];
            if (eq < 0 || Array.IndexOf(Known, name) < 0)
                Fail($"unknown parameter \"{item}\" (Type, Path, IOMode, ScsiId, ScsiSN, BlockSize)");
            var value = item[(eq + 1)..];
            if (value.Length == 0)
                Fail($"{name} is empty");
            if (!values.TryAdd(name, value))
                Fail($"duplicate \"{name}\" parameter");
        }

        // IET's default type is fileio (set_iotype falls back to it).
        var type = values.GetValueOrDefault("Type", "fileio");
        if (type == "nullio")
            Fail("Type \"nullio\" (IET's null device for benchmarks: writes dropped, no storage) is not supported; use a fileio or blockio LUN");
        if (type is not ("fileio" or "blockio"))
            Fail($"unknown Type \"{type}\" (fileio, blockio)");
        foreach (var nullio in new[] { "Blocks", "Sectors" })
            if (values.ContainsKey(nullio))
                Fail($"{nullio} is a nullio parameter; a {type} LUN takes its size from Path");
        if (!values.TryGetValue("Path", out var path))
            Fail("missing \"Path\" parameter");
        // The kernel opens Path itself: only an absolute path names the same file for it and for us.
        if (!path!.StartsWith('/'))
            Fail($"Path \"{path}\" is not an absolute path");

        var ioMode = values.GetValueOrDefault("IOMode", "");
        if (ioMode is not ("" or "wt" or "wb" or "ro"))
            Fail($"unknown IOMode \"{ioMode}\" (wt, wb, ro)");

        var scsiId = values.GetValueOrDefault("ScsiId", "");
        var scsiSerial = values.GetValueOrDefault("ScsiSN", "");
        CheckIdentity("ScsiId", scsiId, MaxScsiId, Fail);
        CheckIdentity("ScsiSN", scsiSerial, MaxScsiSerial, Fail);

        var blockSize = 512;
        if (values.TryGetValue("BlockSize", out var bs))
        {
            if (!int.TryParse(bs, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out blockSize)
                || blockSize is not (512 or 1024 or 2048 or 4096))
                Fail($"BlockSize \"{bs}\" is not 512, 1024, 2048 or 4096");
            if (blockSize is 1024 or 2048)
                Fail($"BlockSize {blockSize} is not supported by SharpSAN's backstores (512 or 4096)");
        }
        return new IetLun(number, line.Number, path, type, ioMode, scsiId, scsiSerial, blockSize);
    }

    /// <summary>INQUIRY/VPD identity strings: IET's limits (ietd.conf(5): "must not exceed 16 characters"),
    /// printable ASCII (SPC-4 4.4.1), as the saved configuration's validator requires.</summary>
    private static void CheckIdentity(string name, string value, int max, Func<string, string> fail)
    {
        if (value.Length > max)
            fail($"{name} \"{value}\" is longer than {max} characters");
        if (!value.All(c => c is > ' ' and <= '~'))
            fail($"{name} \"{value}\" must be printable ASCII");
    }
}
