namespace SharpSan.Config;

/// <summary>One line of an IET access file: the target it is for ("ALL" or a target name) and its entries.</summary>
internal sealed record IetAccessRule(int Line, string Target, IReadOnlyList<IetAccessEntry> Entries)
{
    public bool HasAll => Entries.Any(e => e.Kind == IetAccessKind.All);
}
