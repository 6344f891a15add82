namespace SharpSan.Tgt.Getopt;

/// <summary>
/// glibc's getopt_long as tgtadm sees it: GNU argument permutation (operands
/// are skipped and collected, "--" ends the options), clustered short options ("-dV"), "-t1" and
/// "-t 1", "--tid=1" and "--tid 1", unique prefixes of long options ("--ll" is "--lld"), and the
/// same error texts (glibc 2.26 and later, as Debian's tgtadm prints them). Options come one at a
/// time because tgtadm acts on each as it is parsed (an unknown --op exits before later options are
/// looked at).
/// </summary>
internal sealed class GetoptLong
{
    private readonly IReadOnlyList<string> _args;
    private readonly string _shortOptions;
    private readonly IReadOnlyList<LongOption> _longOptions;
    private readonly List<string> _operands = new();
    private int _index;
    private int _clusterPos; // position inside a short option cluster ("-dV"), 0 when none

    public GetoptLong(IReadOnlyList<string> args, string shortOptions, IReadOnlyList<LongOption> longOptions)
    {
        _args = args;
        _shortOptions = shortOptions;
        _longOptions = longOptions;
    }

    /// <summary>The operands (non-options) in order, complete once <see cref="Next"/> returned false.</summary>
    public IReadOnlyList<string> Operands => _operands;

    /// <summary>The next option, or false at the end of the arguments.</summary>
    public bool Next(out GetoptItem item)
    {
        item = default;
        if (_clusterPos > 0)
            return NextShort(out item);
        while (_index < _args.Count)
        {
            var arg = _args[_index];
            if (arg == "--")
            {
                for (var i = _index + 1; i < _args.Count; i++) _operands.Add(_args[i]);
                _index = _args.Count;
                return false;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                _index++;
                item = ParseLong(arg[2..]);
                return true;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                _clusterPos = 1;
                return NextShort(out item);
            }
            _operands.Add(arg); // permuted to the end, as GNU getopt does
            _index++;
        }
        return false;
    }

    private bool NextShort(out GetoptItem item)
    {
        var arg = _args[_index];
        var c = arg[_clusterPos++];
        var atEnd = _clusterPos >= arg.Length;
        var spec = c == ':' ? -1 : _shortOptions.IndexOf(c);
        if (spec < 0)
        {
            Advance(atEnd);
            item = new GetoptItem('?', null, $"invalid option -- '{c}'");
            return true;
        }
        var takesArgument = spec + 1 < _shortOptions.Length && _shortOptions[spec + 1] == ':';
        if (!takesArgument)
        {
            Advance(atEnd);
            item = new GetoptItem(c, null, null);
            return true;
        }
        if (!atEnd)
        {
            var rest = arg[_clusterPos..];
            _clusterPos = 0;
            _index++;
            item = new GetoptItem(c, rest, null);
            return true;
        }
        _clusterPos = 0;
        _index++;
        if (_index >= _args.Count)
        {
            item = new GetoptItem('?', null, $"option requires an argument -- '{c}'");
            return true;
        }
        item = new GetoptItem(c, _args[_index++], null);
        return true;
    }

    private void Advance(bool atEnd)
    {
        if (!atEnd) return;
        _clusterPos = 0;
        _index++;
    }

    private GetoptItem ParseLong(string text)
    {
        var eq = text.IndexOf('=');
        var name = eq < 0 ? text : text[..eq];
        string? inline = eq < 0 ? null : text[(eq + 1)..];

        var found = _longOptions.FirstOrDefault(o => o.Name == name);
        if (found is null)
        {
            var candidates = _longOptions.Where(o => o.Name.StartsWith(name, StringComparison.Ordinal)).ToList();
            if (candidates.Count == 0)
                return new GetoptItem('?', null, $"unrecognized option '--{text}'");
            // glibc: candidates that would all behave the same are not ambiguous.
            if (candidates.Skip(1).Any(o => o.HasArgument != candidates[0].HasArgument || o.Value != candidates[0].Value))
                return new GetoptItem('?', null,
                    $"option '--{text}' is ambiguous; possibilities:{string.Concat(candidates.Select(o => $" '--{o.Name}'"))}");
            found = candidates[0];
        }
        if (!found.HasArgument)
            return inline is null ? new GetoptItem(found.Value, null, null) : new GetoptItem('?', null, $"option '--{found.Name}' doesn't allow an argument");
        if (inline is not null)
            return new GetoptItem(found.Value, inline, null);
        if (_index >= _args.Count)
            return new GetoptItem('?', null, $"option '--{found.Name}' requires an argument");
        return new GetoptItem(found.Value, _args[_index++], null);
    }
}
