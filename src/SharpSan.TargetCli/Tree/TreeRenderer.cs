using System.Text;

namespace SharpSan.TargetCli.Tree;

/// <summary>
/// configshell's ls: "o- name ....... [summary]" filling the width exactly; when name and summary do
/// not fit, the dots vanish and two spaces remain. '|' guides continue a parent's siblings below it.
/// Colours (by depth, green/red health) only when asked for (a terminal with color_mode).
/// </summary>
internal sealed class TreeRenderer
{
    public int Width { get; init; } = 80;
    public bool Color { get; init; }
    public bool RoundNodes { get; init; } = true;
    public bool StatusMode { get; init; } = true;
    public bool ShowRoot { get; init; } = true;

    /// <summary>Renders the tree under <paramref name="root"/>; depth null or 0 = everything.</summary>
    public string Render(TreeNode root, int? depth)
    {
        if (depth == 0)
            depth = null;
        var lines = new List<string>();
        if (!ShowRoot)
        {
            foreach (var child in root.Children)
                RenderNode(child, [false], depth, lines, rootCall: false);
        }
        else
            RenderNode(root, [false], depth, lines, rootCall: true);
        return string.Join("\n", lines);
    }

    private void RenderNode(TreeNode node, List<bool> margin, int? depth, List<string> lines, bool rootCall)
    {
        var level = node.Path.TrimEnd('/').Count(c => c == '/');
        var color = level % 3 == 0 ? null : (level - 1) % 3 == 0 ? Ansi.Blue : Ansi.Magenta;
        var description = node.Summary;
        if (description.Length == 0)
            description = node.Healthy switch { true => "OK", false => "ERROR", null => "..." };

        var line = new StringBuilder();
        foreach (var pipe in margin.Take(margin.Count - 1))
            line.Append(pipe ? "| " : "  ");
        line.Append(RoundNodes ? "o- " : "+- ");
        var marginLength = line.Length;
        var padLength = Width - 1 - (description.Length + 3) - marginLength - node.Name.Length;
        var pad = padLength > 0 ? new string('.', padLength) : "";

        line.Append(Paint(node.Name, color, bold: true, underline: rootCall));
        if (StatusMode)
        {
            var summaryText = node.Healthy switch
            {
                true => Paint(description, Ansi.Green, bold: false, underline: false),
                false => Paint(description, Ansi.Red, bold: true, underline: false),
                null => description,
            };
            line.Append(' ').Append(Paint(pad, color, false, false))
                .Append(Paint(" [", null, true, false)).Append(summaryText).Append(Paint("]", null, true, false));
        }
        lines.Add(line.ToString());

        if (depth is null || depth > 0)
        {
            var next = depth - 1;
            var children = node.Children;
            for (var i = 0; i < children.Count; i++)
            {
                margin.Add(i < children.Count - 1);
                RenderNode(children[i], margin, next, lines, rootCall: false);
                margin.RemoveAt(margin.Count - 1);
            }
        }
    }

    private string Paint(string text, string? color, bool bold, bool underline)
        => Color && text.Length > 0 ? Ansi.Style(text, color, bold, underline) : text;
}
