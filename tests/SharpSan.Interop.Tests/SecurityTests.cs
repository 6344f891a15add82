namespace SharpSan.Interop.Tests;

/// <summary>CHAP (one-way and mutual) and ACL enforcement, driven by libiscsi.</summary>
[Collection("target")]
public sealed class SecurityTests
{
    private readonly TargetFixture _f;

    public SecurityTests(TargetFixture fixture)
    {
        _f = fixture;
        Tool.Require("iscsi-inq", "iscsi-ls");
    }

    private string ChapUrl(string user, string secret, string extra = "") =>
        $"iscsi://{user}%{secret}@127.0.0.1:{_f.Port}/{TargetFixture.Secure}/0{extra}";

    [Fact]
    public void Chap_with_the_right_secret_logs_in()
    {
        var r = Tool.Run("iscsi-inq", "-i", TargetFixture.ChapClient, ChapUrl(TargetFixture.ChapUser, TargetFixture.ChapSecret));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Product:secure", r.Stdout);
    }

    [Fact]
    public void Chap_with_a_wrong_secret_is_refused_and_the_secret_is_not_logged()
    {
        var r = Tool.Run("iscsi-inq", "-i", TargetFixture.ChapClient, ChapUrl(TargetFixture.ChapUser, "wrong-secret-000"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("0x0201", _f.Target.Log.Replace("0X", "0x"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TargetFixture.ChapSecret, _f.Target.Log);
        Assert.DoesNotContain("wrong-secret-000", _f.Target.Log);
    }

    [Fact]
    public void Chap_required_but_not_offered_is_refused()
    {
        var r = Tool.Run("iscsi-inq", "-i", TargetFixture.ChapClient, _f.Url(TargetFixture.Secure, 0));
        Assert.NotEqual(0, r.ExitCode);
    }

    [Fact]
    public void Mutual_chap_authenticates_both_sides()
    {
        var good = Tool.Run("iscsi-inq", "-i", TargetFixture.MutualClient,
            ChapUrl(TargetFixture.ChapUser, TargetFixture.ChapSecret, $"?target_user={TargetFixture.MutualUser}&target_password={TargetFixture.MutualSecret}"));
        Assert.True(good.ExitCode == 0, good.ToString());

        // The initiator checks our answer: with a different expected target secret it must refuse us.
        var bad = Tool.Run("iscsi-inq", "-i", TargetFixture.MutualClient,
            ChapUrl(TargetFixture.ChapUser, TargetFixture.ChapSecret, $"?target_user={TargetFixture.MutualUser}&target_password=not-the-target-secret"));
        Assert.NotEqual(0, bad.ExitCode);
    }

    [Fact]
    public void Initiator_outside_the_acl_is_refused()
    {
        var r = Tool.Run("iscsi-inq", "-i", TargetFixture.Stranger, _f.Url(TargetFixture.Guarded, 0));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"initiator {TargetFixture.Stranger} is not in the ACL", _f.Target.Log);
    }

    [Fact]
    public void Acl_maps_luns_per_initiator()
    {
        var writer = Tool.Run("iscsi-inq", "-i", TargetFixture.Writer, _f.Url(TargetFixture.Guarded, 5));
        Assert.True(writer.ExitCode == 0, writer.ToString());
        Assert.Contains("Product:guarded", writer.Stdout);
        // LUN 0 is not mapped for this initiator: INQUIRY answers "not connected" (qualifier 011b).
        var unmapped = Tool.Run("iscsi-inq", "-i", TargetFixture.Writer, _f.Url(TargetFixture.Guarded, 0));
        Assert.DoesNotContain("Product:guarded", unmapped.Stdout);
    }
}
