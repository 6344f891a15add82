using System.Text.RegularExpressions;
using SharpSan.Config;

namespace SharpSan.TargetCli.Tree;

/// <summary>
/// One node of the shell's tree, built fresh from a <see cref="SanConfig"/> for every command. It
/// refers to the config objects it shows, so a command mutates the very tree it was resolved in.
/// </summary>
internal sealed partial class TreeNode
{
    private readonly List<TreeNode> _children = new();

    public TreeNode(string name, NodeKind kind, TreeNode? parent)
    {
        Name = name;
        Kind = kind;
        Parent = parent;
        parent?._children.Add(this);
    }

    public string Name { get; }
    public NodeKind Kind { get; }
    public TreeNode? Parent { get; }

    /// <summary>Children in configshell's order: by name, trailing numbers compared as numbers (lun2 before lun10).</summary>
    public IReadOnlyList<TreeNode> Children => _children.OrderBy(c => c, SortComparer.Instance).ToList();

    /// <summary>The summary text ("" means OK/ERROR/... by health) and its health: true green, false red, null plain.</summary>
    public string Summary { get; set; } = "";
    public bool? Healthy { get; set; }

    // The config objects this node shows (those that apply to its kind).
    public string Plugin { get; init; } = "";
    public StorageObjectConfig? StorageObject { get; init; }
    public TargetConfig? Target { get; init; }
    public TpgConfig? Tpg { get; init; }
    public NodeAclConfig? Acl { get; init; }
    public MappedLunConfig? MappedLun { get; init; }
    public LunConfig? Lun { get; init; }
    public PortalConfig? Portal { get; init; }
    /// <summary>The ALUA target port group an AluaGroup node shows (of <see cref="StorageObject"/>).</summary>
    public string AluaGroupName { get; init; } = "";

    public string Path
    {
        get
        {
            if (Parent is null)
                return "/";
            var parentPath = Parent.Path;
            return parentPath == "/" ? "/" + Name : parentPath + "/" + Name;
        }
    }

    public TreeNode Root => Parent is null ? this : Parent.Root;

    public TreeNode? Child(string name) => _children.FirstOrDefault(c => c.Name == name);

    /// <summary>The nearest ancestor (or self) of the given kind.</summary>
    public TreeNode? Up(NodeKind kind)
    {
        for (var n = this; n is not null; n = n.Parent)
            if (n.Kind == kind)
                return n;
        return null;
    }

    /// <summary>configshell's get_node: absolute or relative, ".", "..", repeated slashes; bookmarks are
    /// resolved by the caller. Throws "No such path /x".</summary>
    public TreeNode Resolve(string path)
    {
        if (string.IsNullOrEmpty(path))
            path = ".";
        path = MultipleSlashes().Replace(path, "/");
        if (path.Length > 1)
            path = path.TrimEnd('/');
        var node = this;
        if (path.StartsWith('/'))
        {
            node = Root;
            path = path.TrimStart('/');
        }
        if (path.Length == 0)
            return node;
        foreach (var part in path.Split('/'))
        {
            node = part switch
            {
                "." => node,
                ".." => node.Parent ?? node,
                _ => node.Child(part) ?? throw new CliException($"No such path {node.Path.TrimEnd('/')}/{part}"),
            };
        }
        return node;
    }

    /// <summary>The node at <paramref name="path"/>, or its nearest existing ancestor (after a delete).</summary>
    public TreeNode ResolveNearest(string path)
    {
        var candidate = path;
        while (true)
        {
            try { return Root.Resolve(candidate); }
            catch (CliException)
            {
                var cut = candidate.TrimEnd('/').LastIndexOf('/');
                if (cut <= 0) return Root;
                candidate = candidate[..cut];
            }
        }
    }

    public IEnumerable<TreeNode> Descendants()
    {
        foreach (var child in Children)
        {
            yield return child;
            foreach (var d in child.Descendants())
                yield return d;
        }
    }

    [GeneratedRegex("/+")]
    private static partial Regex MultipleSlashes();

    private sealed partial class SortComparer : IComparer<TreeNode>
    {
        public static readonly SortComparer Instance = new();

        public int Compare(TreeNode? x, TreeNode? y)
        {
            var (px, nx) = Key(x!.Name);
            var (py, ny) = Key(y!.Name);
            var c = string.CompareOrdinal(px, py);
            return c != 0 ? c : nx.CompareTo(ny);
        }

        private static (string Prefix, decimal Number) Key(string name)
        {
            var m = TrailingNumber().Match(name);
            return m.Success && decimal.TryParse(m.Groups[2].Value, out var n) ? (m.Groups[1].Value, n) : (name, 0);
        }

        [GeneratedRegex(@"^(.*?)(\d+)$", RegexOptions.Singleline)]
        private static partial Regex TrailingNumber();
    }
}
