using System.Globalization;
using SharpSan.Config;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>Argument checks more than one command makes, with targetcli's messages.</summary>
internal static class CommandArgs
{
    /// <summary>A LUN or mapped LUN number: digits only, as rtslib takes them.</summary>
    public static bool TryIndex(string? text, out ulong index)
        => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index);

    /// <summary>The storage object a path (or bookmark) names; <paramref name="invalid"/> when it names
    /// nothing or something else.</summary>
    public static StorageObjectConfig StorageObject(TargetCliShell shell, TreeNode node, string path, string invalid)
    {
        TreeNode soNode;
        try { soNode = shell.ResolveFrom(node.Root, path); }
        catch (CliException) { throw new CliException(invalid); }
        if (soNode.Kind != NodeKind.StorageObject)
            throw new CliException(invalid);
        return soNode.StorageObject!;
    }
}
