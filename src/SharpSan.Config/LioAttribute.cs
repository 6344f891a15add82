using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpSan.Config;

/// <summary>
/// One integer attribute LIO keeps under a TPG's or an ACL's "attributes" (configfs
/// .../tpgt_N/attrib/NAME, .../acls/IQN/attrib/NAME), with the kernel's default and legal range
/// (iscsi_target_core.h: TA_* for TPGs, NA_* for ACLs). The range is what the kernel's store
/// function accepts, so a file LIO wrote always passes, and what we refuse LIO would refuse too.
/// </summary>
public sealed record LioAttribute(string Name, int Default, int Min, int Max, string Description)
{
    /// <summary>The value kept in <paramref name="attributes"/>, or null when the file leaves it out.
    /// Only valid after <see cref="ConfigValidator"/> passed (which checks type and range).</summary>
    public int? ValueIn(IReadOnlyDictionary<string, JsonNode?> attributes) =>
        attributes.TryGetValue(Name, out var node) && TryRead(node, out var n) ? n : null;

    /// <summary>Reads an attribute value: a JSON integer (rtslib dumps numbers).</summary>
    internal static bool TryRead(JsonNode? node, out int value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && int.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
