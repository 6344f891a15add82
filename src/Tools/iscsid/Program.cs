using SharpSan.Iscsid;

// iscsid for SharpSAN: wiring only; the daemon, its socket protocol and the client live in SharpSan.Iscsid.
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true, NewLine = "\n" };
var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true, NewLine = "\n" };
return await IscsidProgram.RunAsync(args, stdout, stderr);
