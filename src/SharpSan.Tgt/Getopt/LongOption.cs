namespace SharpSan.Tgt.Getopt;

/// <summary>One entry of a getopt_long option table: the long name, whether it takes an argument,
/// and the character getopt returns for it.</summary>
internal sealed record LongOption(string Name, bool HasArgument, char Value);
