namespace SharpSan.Config;

/// <summary>An IncomingUser or OutgoingUser line: a CHAP user name and secret (ietd.conf(5)).</summary>
internal sealed record IetAccount(string User, string Secret, int Line);
