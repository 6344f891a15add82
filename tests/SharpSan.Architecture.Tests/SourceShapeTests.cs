using System.Text.RegularExpressions;
using SharpSan.Testing;

namespace SharpSan.Architecture.Tests;

/// <summary>
/// The shape rules of the README's "Architecture" section, checked on the source tree: files stay
/// about one thing (no file over 450 lines) and no class hides its size in partial files (all the
/// parts of one type together stay under 700 lines). The layer rule itself is enforced by the build
/// (Directory.Build.targets); these tests check that its table and the README cover every project.
/// </summary>
public partial class SourceShapeTests
{
    private const int MaxFileLines = 450;
    private const int MaxPartialTypeLines = 700;

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static IEnumerable<string> SrcProjects() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetFileNameWithoutExtension(p));

    private static int Lines(string path) => File.ReadAllLines(path).Length;

    private static string Relative(string path) => Path.GetRelativePath(Repo.Root, path);

    [Fact]
    public void No_source_file_is_over_450_lines()
    {
        var tooLong = SourceFiles().Select(p => (Path: Relative(p), Lines: Lines(p))).Where(f => f.Lines > MaxFileLines).ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong.Select(f => $"{f.Path}: {f.Lines} lines")));
    }

    [Fact]
    public void No_partial_type_is_over_700_lines_in_all()
    {
        var totals = new Dictionary<string, (int Lines, List<string> Files)>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            var ns = NamespacePattern().Match(text).Groups[1].Value;
            foreach (Match m in PartialTypePattern().Matches(text))
            {
                var key = $"{ns}.{m.Groups[1].Value}";
                var entry = totals.TryGetValue(key, out var e) ? e : (Lines: 0, Files: new List<string>());
                entry.Lines += Lines(file);
                entry.Files.Add(Relative(file));
                totals[key] = entry;
            }
        }
        var tooBig = totals.Where(t => t.Value.Lines > MaxPartialTypeLines).ToList();
        Assert.True(tooBig.Count == 0,
            string.Join("\n", tooBig.Select(t => $"{t.Key}: {t.Value.Lines} lines in {string.Join(", ", t.Value.Files)}")));
    }

    [Fact]
    public void Every_src_project_is_in_the_layer_table_and_the_readme()
    {
        var targets = File.ReadAllText(Path.Combine(Repo.Root, "Directory.Build.targets"));
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var missing = new List<string>();
        foreach (var project in SrcProjects())
        {
            if (!targets.Contains($"'$(MSBuildProjectName)' == '{project}'", StringComparison.Ordinal))
                missing.Add($"{project}: not in Directory.Build.targets' layer table");
            if (project.StartsWith("SharpSan.", StringComparison.Ordinal) && !readme.Contains($"`src/{project}`", StringComparison.Ordinal))
                missing.Add($"{project}: not in the README's architecture table");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void The_checks_see_the_tree()
    {
        // A rule over an empty list passes trivially: make sure the walk finds the sources.
        Assert.Contains(SourceFiles(), p => p.EndsWith("IscsiTargetServer.cs", StringComparison.Ordinal));
        Assert.Contains("SharpSan.Target", SrcProjects());
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"\bpartial\s+(?:class|struct|record(?:\s+(?:class|struct))?)\s+(\w+)")]
    private static partial Regex PartialTypePattern();
}
