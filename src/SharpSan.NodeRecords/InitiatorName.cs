using System.Security.Cryptography;
using SharpSan.Platform;

namespace SharpSan.NodeRecords;

/// <summary>/etc/iscsi/initiatorname.iscsi: "InitiatorName=iqn...." (and "InitiatorAlias=...").</summary>
public static class InitiatorName
{
    /// <summary>iscsi-iname's default prefix.</summary>
    public const string OpenIscsiPrefix = "iqn.2016-04.com.open-iscsi";

    /// <summary>The prefix Debian/Ubuntu's open-iscsi package generates names with.</summary>
    public const string UbuntuPrefix = "iqn.2004-10.com.ubuntu:01";

    /// <summary>The InitiatorName value, or null when the file or the line is missing.</summary>
    public static string? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
                continue;
            const string key = "InitiatorName=";
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var value = line[key.Length..].Trim();
                return value.Length > 0 ? value : null;
            }
        }
        return null;
    }

    /// <summary>iscsi-iname's shape: prefix + ":" + 12 random hex digits.</summary>
    public static string Generate(string prefix = OpenIscsiPrefix) =>
        prefix + ":" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Reads the name, creating the file with a generated name when it is missing.</summary>
    public static string ReadOrCreate(string path, string prefix = OpenIscsiPrefix)
    {
        var existing = Read(path);
        if (existing is not null)
            return existing;
        var name = Generate(prefix);
        var text =
            "## DO NOT EDIT OR REMOVE THIS FILE!\n" +
            "## If you remove this file, the iSCSI daemon will not start.\n" +
            "## If you change the InitiatorName, existing access control lists\n" +
            "## may reject this initiator.  The InitiatorName must be unique\n" +
            "## for each iSCSI initiator.  Do NOT duplicate iSCSI InitiatorNames.\n" +
            "InitiatorName=" + name + "\n";
        AtomicFile.Write(path, text, NodeDatabase.RecordFileOptions with
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, // 0644, no secret
        });
        return name;
    }
}
