namespace SharpSan.Config;

/// <summary>
/// Builds the JSONPath strings used in error messages ("$.targets[0].tpgs[1].luns[2]"), so the reader
/// (which walks JSON) and the validator (which walks the object tree) name locations identically.
/// </summary>
internal static class JsonPathBuilder
{
    public const string Root = "$";

    public static string Prop(string parent, string name)
    {
        // Attribute and parameter names are ordinary identifiers in LIO; anything else is quoted.
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                return $"{parent}['{name.Replace("\\", "\\\\").Replace("'", "\\'")}']";
        }
        return name.Length == 0 ? $"{parent}['']" : $"{parent}.{name}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string Item(string parent, string arrayName, int index) => Index(Prop(parent, arrayName), index);
}
