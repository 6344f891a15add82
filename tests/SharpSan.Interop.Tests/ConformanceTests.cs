namespace SharpSan.Interop.Tests;

/// <summary>
/// libiscsi's conformance suite (iscsi-test-cu): the whole suite on a fileio LUN, then, on the same
/// daemon, only the suites whose outcome depends on the LUN: a 4 KiB ramdisk with header digests (the
/// block commands at another block size and a digest on every PDU), a write-protected LUN (the suites
/// that skip on a writable LUN: "Logical unit is not write-protected") and a removable one ("Logical
/// unit is not removable", "Media is not removable"). Every test must pass, and none may be skipped as
/// not implemented, except in the suites of the command groups still deferred (listed below).
/// </summary>
[Collection("target")]
public sealed class ConformanceTests
{
    /// <summary>Suites for features not merged yet (persistent reservations, thin provisioning, copy
    /// offload...): their failures, and the "not implemented" notices naming their commands, are ignored.</summary>
    private static readonly string[] Deferred =
    {
    };

    /// <summary>The thin provisioning suites (SBC-3 4.7), run on a thin LUN where none of them skips as
    /// "fully provisioned".</summary>
    private const string ProvisioningSuites = "SCSI.Unmap*,SCSI.WriteSame10*,SCSI.WriteSame16*,SCSI.GetLBAStatus*,SCSI.ReadCapacity16*,SCSI.Inquiry*";

    /// <summary>Tests whose expectation contradicts the standard, each with the reason the target is right.</summary>
    private static readonly Dictionary<string, string> TestBugs = new()
    {
    };

    /// <summary>The suites a 4 KiB block size and digests change: every command that moves or addresses blocks.</summary>
    private const string BlockSuites =
        "SCSI.Read6*,SCSI.Read10*,SCSI.Read12*,SCSI.Read16*,SCSI.Write10*,SCSI.Write12*,SCSI.Write16*," +
        "SCSI.WriteVerify*,SCSI.Verify*,SCSI.ReadCapacity*,SCSI.PreFetch*,SCSI.iSCSIResiduals*,SCSI.CompareAndWrite*," +
        "SCSI.WriteSame*,SCSI.Unmap*,SCSI.OrWrite*,SCSI.GetLBAStatus*,SCSI.WriteAtomic*,SCSI.ReportSupportedOpcodes*," +
        "SCSI.ExtendedCopy*,SCSI.ReceiveCopyResults*";

    /// <summary>The suites that only run on a write-protected LUN.</summary>
    private const string ReadOnlySuites = "SCSI.ReadOnly*,SCSI.Sanitize.Readonly";

    /// <summary>The suites that only run on a removable LUN.</summary>
    private const string RemovableSuites = "SCSI.PreventAllow*,SCSI.StartStopUnit*,SCSI.NoMedia*";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private readonly TargetFixture _f;

    public ConformanceTests(TargetFixture fixture)
    {
        _f = fixture;
        Tool.Require("iscsi-test-cu");
    }

    [Fact]
    public void Libiscsi_provisioning_suites_pass_on_a_thin_fileio_lun()
    {
        var run = LibiscsiSuite.Run(Deferred, Timeout, "-t", ProvisioningSuites, _f.Url(TargetFixture.Open, 5));
        Assert.DoesNotContain("fully provisioned", run.Output);
        LibiscsiSuite.AssertClean(WithoutTestBugs(run), "thin fileio LUN", 30);
    }

    [Fact]
    public void Libiscsi_suite_passes_on_a_fileio_lun()
    {
        var run = LibiscsiSuite.Run(Deferred, Timeout, _f.Url(TargetFixture.Open, 4));
        LibiscsiSuite.AssertClean(WithoutTestBugs(run), "fileio LUN", 300);
    }

    /// <summary>Header digests come from the conformance target's HeaderDigest=CRC32C (iscsi-test-cu 1.19
    /// offers None,CRC32C and ignores the URL's header_digest); it only offers DataDigest=None, so data
    /// digests are left to the target's own tests.</summary>
    [Fact]
    public void Block_suites_pass_on_a_4k_ramdisk_lun_with_header_digests()
    {
        var run = RunOnConformanceTarget(BlockSuites, TargetFixture.Ramdisk4kLun);
        Assert.Contains(_f.Target.Log.Split('\n'), l => l.Contains(TargetFixture.ConformanceInitiator, StringComparison.Ordinal) &&
            l.Contains("HeaderDigest=CRC32C", StringComparison.Ordinal));
        LibiscsiSuite.AssertClean(WithoutTestBugs(run), "4 KiB ramdisk LUN, header digests", 100);
    }

    [Fact]
    public void Read_only_suites_pass_on_a_write_protected_lun()
    {
        var run = RunOnConformanceTarget(ReadOnlySuites, TargetFixture.ReadOnlyLun);
        Assert.DoesNotContain("Logical unit is not write-protected", run.Output);
        LibiscsiSuite.AssertClean(WithoutTestBugs(run), "write-protected LUN", 1);
    }

    [Fact]
    public void Removable_medium_suites_pass_on_a_removable_lun()
    {
        var run = RunOnConformanceTarget(RemovableSuites, TargetFixture.RemovableLun);
        Assert.DoesNotContain("is not removable", run.Output);
        LibiscsiSuite.AssertClean(WithoutTestBugs(run), "removable LUN", 10);
    }

    /// <summary>libiscsi's <paramref name="suites"/> on LUN <paramref name="lun"/> of the conformance target,
    /// logged in as its two initiators (the reservation tests need a second one).</summary>
    private LibiscsiRun RunOnConformanceTarget(string suites, int lun) =>
        LibiscsiSuite.Run(Deferred, Timeout, "-i", TargetFixture.ConformanceInitiator, "-I", TargetFixture.ConformanceInitiator2,
            "-t", suites, _f.Url(TargetFixture.Conformance, lun));

    /// <summary>The run without the failures of <see cref="TestBugs"/> (each still reported in the output).</summary>
    private static LibiscsiRun WithoutTestBugs(LibiscsiRun run) =>
        run with { Failures = run.Failures.Where(f => !TestBugs.Keys.Any(k => f.StartsWith(k + " ", StringComparison.Ordinal))).ToList() };
}
