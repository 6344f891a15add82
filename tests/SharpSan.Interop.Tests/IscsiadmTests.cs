namespace SharpSan.Interop.Tests;

/// <summary>out/bin/iscsiadm against the live daemon: discovery writes open-iscsi node records.</summary>
[Collection("target")]
public sealed class IscsiadmTests : IDisposable
{
    private readonly TargetFixture _f;
    private readonly string _root = Directory.CreateTempSubdirectory("sharpsan-iscsi-root-").FullName;

    public IscsiadmTests(TargetFixture fixture) => _f = fixture;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Tool.Result Adm(params string[] args) =>
        Tool.Run("env", new[] { $"SHARPSAN_ISCSI_ROOT={_root}", Path.Combine(Repo.Root, "out", "bin", "iscsiadm") }.Concat(args));

    [Fact]
    public void Sendtargets_discovery_lists_the_portal_and_records_the_node()
    {
        File.WriteAllText(Path.Combine(_root, "initiatorname.iscsi"), $"InitiatorName={TargetFixture.Reader}\n");
        var r = Adm("-m", "discovery", "-t", "sendtargets", "-p", $"127.0.0.1:{_f.Port}");
        Assert.True(r.ExitCode == 0, r.ToString());
        // demo-mode target, plus the ACL target this initiator name is allowed into
        Assert.Contains($"127.0.0.1:{_f.Port},1 {TargetFixture.Open}", r.Stdout);
        Assert.Contains($"127.0.0.1:{_f.Port},1 {TargetFixture.Guarded}", r.Stdout);
        Assert.DoesNotContain(TargetFixture.Secure, r.Stdout);
        Assert.True(File.Exists(Path.Combine(_root, "nodes", TargetFixture.Open, $"127.0.0.1,{_f.Port},1", "default")));

        var show = Adm("-m", "node", "-T", TargetFixture.Open, "-p", $"127.0.0.1:{_f.Port}", "-o", "show");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"node.name = {TargetFixture.Open}", show.Stdout);
        Assert.Contains($"node.conn[0].port = {_f.Port}", show.Stdout);
    }

    [Fact]
    public void Discovery_of_a_closed_port_fails_with_open_iscsis_code()
    {
        var r = Adm("-m", "discovery", "-t", "st", "-p", $"127.0.0.1:{FreePort.Next()}");
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("Could not perform SendTargets discovery", r.Stderr);
    }
}
