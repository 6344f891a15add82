namespace SharpSan.TargetCli.Shell;

/// <summary>One settable/gettable parameter of a configuration group.</summary>
internal sealed record GroupParam(string Name, string Type, string Description, bool Writable = true);
