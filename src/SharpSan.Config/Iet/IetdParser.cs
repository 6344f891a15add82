namespace SharpSan.Config;

/// <summary>
/// Reads ietd.conf into an <see cref="IetdFile"/>, following IET's usr/plain.c: directive names are
/// matched case-insensitively (strcasecmp), "Target NAME" starts a stanza, everything before the first
/// one is global (ietd.conf(5): "Everything until the first target definition belongs to the global
/// configuration"), and a Target line may be indented or not. Where IET would skip a line silently
/// (an unknown word, a target option before any Target, a value it cannot read) the file is refused
/// here with the line and the reason, so a typo never turns into a target served differently.
/// </summary>
internal sealed class IetdParser
{
    private readonly string _source;
    private readonly IetdFile _file = new();
    private IetTarget? _target;

    private IetdParser(string source) => _source = source;

    public static IetdFile Parse(string text, string source)
    {
        var parser = new IetdParser(source);
        foreach (var line in IetLine.Split(text, continuations: true))
            parser.Directive(line);
        return parser._file;
    }

    private void Directive(IetLine line)
    {
        var keyword = line.Keyword;
        if (Is(keyword, "Target")) Target(line);
        else if (Is(keyword, "IncomingUser")) Account(line, incoming: true);
        else if (Is(keyword, "OutgoingUser")) Account(line, incoming: false);
        else if (Is(keyword, "iSNSServer")) Note(line, "iSNSServer: iSNS registration is not supported; initiators find the targets by SendTargets discovery");
        else if (Is(keyword, "iSNSAccessControl")) IsnsAccessControl(line);
        else if (_target is null && IsTargetOption(keyword))
            throw Error(line, $"{keyword} outside a Target block (target options follow a \"Target NAME\" line)");
        else if (Is(keyword, "Lun")) AddLun(line);
        else if (Is(keyword, "Alias")) Alias(line);
        else if (Is(keyword, "MaxSessions")) MaxSessions(line);
        else if (IetKeys.TryGet(keyword, out var key)) Key(line, key);
        else throw Error(line, $"unknown directive \"{keyword}\"");
    }

    private static bool Is(string word, string keyword) => string.Equals(word, keyword, StringComparison.OrdinalIgnoreCase);

    private static bool IsTargetOption(string keyword) =>
        Is(keyword, "Lun") || Is(keyword, "Alias") || Is(keyword, "MaxSessions") || IetKeys.TryGet(keyword, out _);

    private void Target(IetLine line)
    {
        if (line.Words.Count < 2 || line.Words[1].StartsWith('#'))
            throw Error(line, "Target needs a name (Target iqn.2001-04.com.example:storage.disk1)");
        var name = line.Words[1];
        Single(line, 1);
        if (IscsiName.Check(name) is { } problem)
            throw Error(line, $"Target {problem}");
        // __plain_target_create: "duplicated target"; iSCSI names compare case-insensitively (RFC 3722).
        if (_file.Targets.Find(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)) is { } first)
            throw Error(line, $"duplicate Target {name} (also on line {first.Line})");
        _target = new IetTarget(name, line.Number);
        _file.Targets.Add(_target);
    }

    /// <summary>
    /// plain_account_init: an IncomingUser/OutgoingUser before any Target is a discovery account, inside
    /// one the target's. Several incoming accounts are allowed; "Only one OutgoingUser" — a second one
    /// replaces the first (plain_account_add warns "Replacing the old one").
    /// </summary>
    private void Account(IetLine line, bool incoming)
    {
        // IET takes the next two words whatever they are, so a secret may start with '#'.
        if (line.Words.Count < 3)
            throw Error(line, $"{line.Keyword} needs a user name and a secret ({line.Keyword} joe secret12chars)");
        Single(line, 2);
        var account = new IetAccount(line.Words[1], line.Words[2], line.Number);
        var scope = _target is null ? "discovery" : $"target {_target.Name}";
        if (incoming)
        {
            var list = _target?.IncomingUsers ?? _file.DiscoveryIncoming;
            if (list.Find(a => a.User == account.User) is { } same)
            {
                if (same.Secret != account.Secret)
                    throw Error(line, $"IncomingUser {account.User} of {scope} has another secret on line {same.Line}");
                return;
            }
            list.Add(account);
            return;
        }
        var previous = _target is null ? _file.DiscoveryOutgoing : _target.OutgoingUser;
        if (previous is not null)
            Note(line, $"only one OutgoingUser per {(_target is null ? "discovery" : "target")}: this one replaces line {previous.Line}'s, as IET does");
        if (_target is null) _file.DiscoveryOutgoing = account;
        else _target.OutgoingUser = account;
    }

    private void IsnsAccessControl(IetLine line)
    {
        var value = line.Words.Count > 1 ? line.Words[1] : "";
        // With "Yes" IET lets the iSNS server decide who may log in; there is no iSNS here, so refusing
        // is the only way not to open targets the file meant to restrict.
        if (string.Equals(value, "Yes", StringComparison.OrdinalIgnoreCase))
            throw Error(line, "iSNSAccessControl Yes: access control through an iSNS server is not supported; use initiators.allow/initiators.deny");
        Note(line, "iSNSAccessControl: ignored (no iSNS)");
    }

    private void AddLun(IetLine line)
    {
        var lun = IetLunParser.Parse(line, _source);
        // volume_add refuses a LUN number already in use (-EEXIST).
        if (_target!.Luns.Find(l => l.Number == lun.Number) is { } first)
            throw Error(line, $"duplicate Lun {lun.Number} in target {_target.Name} (also on line {first.Line})");
        _target.Luns.Add(lun);
    }

    /// <summary>IET ignores Alias (its sample config: "Alias name for this target (Not Used)"); SharpSAN
    /// sends it as TargetAlias, which the RFC makes informational only. The rest of the line is the alias.</summary>
    private void Alias(IetLine line)
    {
        var alias = line.Rest(1);
        if (alias.Length == 0)
            throw Error(line, "Alias needs a name");
        if (alias.Length > 255 || alias.Any(char.IsControl))
            throw Error(line, "Alias must be at most 255 characters, without control characters");
        _target!.Parameters["TargetAlias"] = alias;
        _target.ParameterLines["TargetAlias"] = line.Number;
    }

    /// <summary>MaxSessions (0 = no limit) caps the sessions of a target; SharpSAN has no such limit, and
    /// ignoring a non-zero one would let a second host in where the file keeps it out, so it is refused.</summary>
    private void MaxSessions(IetLine line)
    {
        var text = Value(line);
        if (!IetKeys.TryParseNumber(text, out var n) || n < 0 || n > 65535)
            throw Error(line, $"MaxSessions \"{text}\" is not a number from 0 to 65535");
        if (n != 0)
            throw Error(line, $"MaxSessions {n}: limiting the sessions of a target is not supported (use 0, no limit, or initiators.allow to admit one host)");
    }

    private void Key(IetLine line, IetKey key)
    {
        var text = Value(line);
        if (IetKeys.Parse(key, text, out var error) is not { } value)
            throw Error(line, error);
        switch (key.Use)
        {
            case IetKeyUse.Parameter:
                _target!.Parameters[key.Name] = value;
                _target.ParameterLines[key.Name] = line.Number;
                break;
            case IetKeyUse.CommandWindow:
                _target!.QueuedCommands = (int)long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                Note(line, $"{key.Name}: ignored ({key.Ignored})");
                break;
        }
    }

    /// <summary>The one value word of "Key value" (IET reads the first word after the key).</summary>
    private string Value(IetLine line)
    {
        if (line.Words.Count < 2 || line.Words[1].StartsWith('#'))
            throw Error(line, $"{line.Keyword} needs a value");
        Single(line, 1);
        return line.Words[1];
    }

    private void Single(IetLine line, int lastArgument)
    {
        if (!line.EndsAfter(lastArgument))
            throw Error(line, $"{line.Keyword}: unexpected \"{line.Words[lastArgument + 1]}\" (a comment starts with #)");
    }

    private void Note(IetLine line, string text) => _file.Notes.Add($"{_source}:{line.Number}: {text}");

    private ConfigException Error(IetLine line, string reason) => IetError.At(_source, line.Number, reason);
}
