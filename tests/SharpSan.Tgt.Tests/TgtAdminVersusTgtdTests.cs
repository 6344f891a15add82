using System.Text.RegularExpressions;

namespace SharpSan.Tgt.Tests;

/// <summary>
/// Debian's tgt-admin (perl, driving tgtd through tgtadm) and ours (driving sharpsand) on the same
/// targets.conf, each with its own copy of the images: --execute, an edit and --update ALL,
/// --offline/--ready, --delete leave both daemons showing the same targets. Accepted differences:
/// the images' folder, tgt-admin repeating its "default-driver" comment for each target it updates
/// (ours says it once per run), and quoting: Debian's 1.0.85 writes -b "PATH" and KEY="VALUE", ours
/// what tgt 1.0.97 writes, -b 'PATH' and KEY='VALUE'.
/// </summary>
public sealed partial class TgtAdminVersusTgtdTests
{
    /// <summary>The target both files hold unchanged: a reload leaves it alone.</summary>
    private const string TargetB = """
        <target iqn.2001-04.com.example:b>
            <backing-store {dir}/b1.img>
                lun 4
            </backing-store>
            <backing-store {dir}/b2.img>
                vendor_id ACME
            </backing-store>
            initiator-name iqn.1994-05.com.redhat:client
            outgoinguser tgt tgts-secret-123
        </target>
        """;

    private const string First = $$"""
        <target iqn.2001-04.com.example:a>
            backing-store {dir}/a1.img
            backing-store {dir}/a2.img
            initiator-address 127.0.0.1
            incominguser joe joes-secret-12
            MaxRecvDataSegmentLength 65536
            write-cache off
        </target>
        {{TargetB}}
        <target iqn.2001-04.com.example:c>
            backing-store {dir}/c1.img
            lun 7
            readonly 1
        </target>
        """;

    private const string Second = $$"""
        <target iqn.2001-04.com.example:a>
            backing-store {dir}/a1.img
            initiator-address 127.0.0.1
            initiator-address 10.0.0.0/8
            incominguser joe joes-secret-12
            MaxRecvDataSegmentLength 65536
        </target>
        {{TargetB}}
        <target iqn.2001-04.com.example:d>
            backing-store {dir}/d1.img
            bsoflags sync
        </target>
        """;

    [TgtFact]
    public async Task Tgt_admin_leaves_sharpsand_as_Debians_leaves_tgtd()
    {
        Requirement.SkipUnlessMet(Requirement.Tools("tgt-admin") ?? (RealTgtd.Tgtadm is null ? "tgtadm is not installed" : null)
            ?? Requirement.Root("Debian's tgt-admin runs as root only"));
        using var theirs = new TempDirectory(prefix: "sharpsan-tgtadmin-");
        await using var tgtd = await RealTgtd.StartAsync();
        await using var ours = await LiveSharpsand.StartAsync();
        foreach (var dir in new[] { theirs.Path, ours.Dir.Path })
            foreach (var name in new[] { "a1.img", "a2.img", "b1.img", "b2.img", "c1.img", "d1.img" })
            {
                using var f = File.Create(Path.Combine(dir, name));
                f.SetLength(8 << 20);
            }
        var theirConf = Path.Combine(theirs.Path, "targets.conf");
        var ourConf = ours.Dir.File("targets.conf");
        var failures = new List<string>();

        async Task Step(string what, string[] args, bool compareOutput)
        {
            var t = Tool.Run("tgt-admin", new[] { "-C", $"{tgtd.ControlPort}" }.Concat(args.Select(a => a == "{conf}" ? theirConf : a)), TimeSpan.FromMinutes(2));
            var o = await ours.TgtAdminAsync(args.Select(a => a == "{conf}" ? ourConf : a).ToArray());
            if (t.ExitCode != o.ExitCode)
                failures.Add($"{what}: tgt-admin exited {t.ExitCode}, ours {o.ExitCode}\n{t}\n{o}");
            if (compareOutput && Clean(t.Stdout, theirs.Path, theirConf) != Clean(o.Stdout, ours.Dir.Path, ourConf))
                failures.Add($"{what}: output differs\n--- tgt-admin\n{Clean(t.Stdout, theirs.Path, theirConf)}--- ours\n{Clean(o.Stdout, ours.Dir.Path, ourConf)}");
            var shownTheirs = Clean(tgtd.Run("--op", "show", "--mode", "target").Stdout, theirs.Path, theirConf);
            var shownOurs = Clean((await ours.TgtadmAsync("--op", "show", "--mode", "target")).Stdout, ours.Dir.Path, ourConf);
            if (shownTheirs != shownOurs)
                failures.Add($"{what}: tgtadm --op show --mode target differs\n--- tgtd\n{shownTheirs}--- sharpsand\n{shownOurs}");
        }

        File.WriteAllText(theirConf, First.Replace("{dir}", theirs.Path));
        File.WriteAllText(ourConf, First.Replace("{dir}", ours.Dir.Path));
        await Step("--execute -v", ["--execute", "-v", "-c", "{conf}"], compareOutput: true);
        await Step("--execute again", ["-e", "-c", "{conf}"], compareOutput: true);
        File.WriteAllText(theirConf, Second.Replace("{dir}", theirs.Path));
        File.WriteAllText(ourConf, Second.Replace("{dir}", ours.Dir.Path));
        await Step("--update ALL", ["--update", "ALL", "-c", "{conf}"], compareOutput: true);
        await Step("--offline ALL", ["--offline", "ALL"], compareOutput: true);
        await Step("--ready tid=1", ["--ready", "tid=1"], compareOutput: true);
        await Step("--update tid=9", ["--update", "tid=9", "-c", "{conf}"], compareOutput: true);
        await Step("--update by name", ["--update", "iqn.2001-04.com.example:d", "-c", "{conf}", "-v"], compareOutput: false);
        await Step("--delete tid=2", ["--delete", "tid=2"], compareOutput: true);
        await Step("--delete ALL", ["--delete", "ALL"], compareOutput: true);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>Each side's folder and control port named alike, and one quoting style.</summary>
    private static string Clean(string text, string dir, string conf)
        => ControlPort().Replace(text.Replace(conf, "CONF").Replace(dir, "DIR"), "tgtadm -C PORT").Replace('"', '\'');

    [GeneratedRegex(@"tgtadm -C \d+")]
    private static partial Regex ControlPort();
}
