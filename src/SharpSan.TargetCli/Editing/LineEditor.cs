using System.Text;

namespace SharpSan.TargetCli.Editing;

/// <summary>
/// A small line editor over System.Console for the interactive shell: left/right, Home/End,
/// Backspace/Delete, up/down history (kept in a file), Tab completion (one match completes; several
/// insert their common prefix, a second Tab lists them), Ctrl-C drops the line, Ctrl-D on an empty
/// line is end of input. The completion logic itself lives in the shell and is tested there.
/// </summary>
public sealed class LineEditor
{
    private const int MaxHistory = 1000;
    private readonly List<string> _history = new();
    private readonly string? _historyPath;

    public LineEditor(string? historyPath)
    {
        _historyPath = historyPath;
        try
        {
            if (historyPath is not null && File.Exists(historyPath))
                _history.AddRange(File.ReadAllLines(historyPath).Where(l => l.Length > 0).TakeLast(MaxHistory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* no history */ }
    }

    public IReadOnlyList<string> History => _history;

    /// <summary>Reads one line; null at end of input.</summary>
    public string? ReadLine(string prompt, Func<string, int, Completion> complete)
    {
        var buffer = new StringBuilder();
        var cursor = 0;
        var historyIndex = _history.Count;
        var lastWasTab = false;
        Console.Write(prompt);
        var treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            return Edit(prompt, complete, buffer, ref cursor, ref historyIndex, ref lastWasTab);
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    private string? Edit(string prompt, Func<string, int, Completion> complete, StringBuilder buffer, ref int cursor, ref int historyIndex, ref bool lastWasTab)
    {
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            var isTab = key.Key == ConsoleKey.Tab;
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    var line = buffer.ToString();
                    Remember(line);
                    return line;
                case ConsoleKey.LeftArrow when cursor > 0: cursor--; break;
                case ConsoleKey.RightArrow when cursor < buffer.Length: cursor++; break;
                case ConsoleKey.Home: cursor = 0; break;
                case ConsoleKey.End: cursor = buffer.Length; break;
                case ConsoleKey.Backspace when cursor > 0: buffer.Remove(--cursor, 1); break;
                case ConsoleKey.Delete when cursor < buffer.Length: buffer.Remove(cursor, 1); break;
                case ConsoleKey.UpArrow when historyIndex > 0:
                    historyIndex--;
                    buffer.Clear().Append(_history[historyIndex]);
                    cursor = buffer.Length;
                    break;
                case ConsoleKey.DownArrow when historyIndex < _history.Count:
                    historyIndex++;
                    buffer.Clear().Append(historyIndex < _history.Count ? _history[historyIndex] : "");
                    cursor = buffer.Length;
                    break;
                case ConsoleKey.Tab:
                {
                    var text = buffer.ToString();
                    var completion = complete(text, cursor);
                    var typed = cursor - completion.Start;
                    if (completion.Candidates.Count == 1)
                    {
                        buffer.Remove(completion.Start, typed).Insert(completion.Start, completion.Candidates[0]);
                        cursor = completion.Start + completion.Candidates[0].Length;
                    }
                    else if (completion.Candidates.Count > 1)
                    {
                        var prefix = completion.CommonPrefix();
                        if (prefix.Length > typed)
                        {
                            buffer.Remove(completion.Start, typed).Insert(completion.Start, prefix);
                            cursor = completion.Start + prefix.Length;
                        }
                        else if (lastWasTab || prefix.Length == typed)
                        {
                            Console.WriteLine();
                            Console.WriteLine(Columns(completion.Candidates, Console.IsOutputRedirected ? 80 : Console.WindowWidth));
                        }
                    }
                    break;
                }
                default:
                    if (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control))
                    {
                        Console.WriteLine();
                        buffer.Clear();
                        cursor = 0;
                        historyIndex = _history.Count;
                    }
                    else if (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control))
                    {
                        if (buffer.Length == 0)
                        {
                            Console.WriteLine();
                            return null;
                        }
                    }
                    else if (key.Key == ConsoleKey.L && key.Modifiers.HasFlag(ConsoleModifiers.Control))
                        Console.Clear();
                    else if (key.KeyChar >= ' ' && key.KeyChar != '\x7f')
                        buffer.Insert(cursor++, key.KeyChar);
                    break;
            }
            lastWasTab = isTab;
            Redraw(prompt, buffer, cursor);
        }
    }

    /// <summary>Candidates side by side, as readline shows them (width / longest+2 columns).</summary>
    public static string Columns(IReadOnlyList<string> candidates, int width)
    {
        var cell = candidates.Max(c => c.Length) + 2;
        var perLine = Math.Max(1, width / cell);
        var lines = new List<string>();
        for (var i = 0; i < candidates.Count; i += perLine)
            lines.Add(string.Concat(candidates.Skip(i).Take(perLine).Select(c => c.PadRight(cell))).TrimEnd());
        return string.Join('\n', lines);
    }

    private static void Redraw(string prompt, StringBuilder buffer, int cursor)
    {
        Console.Write("\r" + prompt + buffer + "\x1b[K");
        var back = buffer.Length - cursor;
        if (back > 0)
            Console.Write($"\x1b[{back}D");
    }

    private void Remember(string line)
    {
        if (line.Trim().Length == 0 || (_history.Count > 0 && _history[^1] == line))
            return;
        _history.Add(line);
        if (_history.Count > MaxHistory)
            _history.RemoveAt(0);
        if (_historyPath is null)
            return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_historyPath)!);
            File.WriteAllLines(_historyPath, _history);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* history is best effort */ }
    }
}
