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

    /// <summary>libiscsi's SANITIZE suite but Reset, which runs on its own LUN (see <see cref="TargetFixture.SanitizeResetLun"/>).</summary>
    private const string SanitizeSuites =
        "SCSI.Sanitize.BlockErase*,SCSI.Sanitize.CryptoErase*,SCSI.Sanitize.ExitFailureMode,SCSI.Sanitize.InvalidServiceAction," +
        "SCSI.Sanitize.Overwrite*,SCSI.Sanitize.Readonly,SCSI.Sanitize.Reservations";

    /// <summary>
    /// The one honest refusal of the SANITIZE suite: CRYPTOGRAPHIC ERASE (SBC-4 4.11.3) changes the keys
    /// the user data is encrypted with, and no backstore encrypts, so there is no key to change: the
    /// target refuses it (INVALID FIELD IN CDB, not in REPORT SUPPORTED OPERATION CODES, WACEREQ=0) and
    /// libiscsi prints "[SKIPPED] SANITIZE CRYPTO_ERASE is not implemented according to
    /// REPORT_SUPPORTED_OPCODES." in CryptoErase, Readonly and Reservations.
    /// </summary>
    private const string CryptoEraseRefused = "SANITIZE CRYPTO_ERASE is not implemented";

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

    /// <summary>libiscsi's SANITIZE suite with -S (issue #13): OVERWRITE, BLOCK ERASE (the LUN is thin
    /// and reads zeros where deallocated), EXIT FAILURE MODE, SWP for Readonly, on a 64 MiB thin fileio LUN;
    /// then Reset on a 4 GiB thin ramdisk, where the zero-pattern OVERWRITE still runs when the test
    /// checks it after its aborts, resets and a new login (about 5 s in; it lasts 32 s at the sanitize
    /// pace, and the test then polls once a minute, so the run takes a little over a minute).</summary>
    [Fact]
    public void Sanitize_suite_passes_with_allow_sanitize()
    {
        var run = LibiscsiSuite.Run(Deferred, Timeout, "-S", "-i", TargetFixture.ConformanceInitiator, "-I", TargetFixture.ConformanceInitiator2,
            "-t", SanitizeSuites, _f.Url(TargetFixture.Conformance, TargetFixture.SanitizeLun));
        Assert.Contains(CryptoEraseRefused, run.Output);
        Assert.DoesNotContain("SANITIZE BLOCK_ERASE is not", run.Output);
        Assert.DoesNotContain("SANITIZE OVERWRITE is not", run.Output);
        Assert.DoesNotContain("SWP is not changeable", run.Output);
        LibiscsiSuite.AssertClean(WithoutTestBugs(run) with { NotImplemented = run.NotImplemented.Where(n => !n.Contains(CryptoEraseRefused, StringComparison.Ordinal)).ToList() },
            "SANITIZE on a thin fileio LUN", 10);

        var reset = LibiscsiSuite.Run(Deferred, Timeout, "-S", "-i", TargetFixture.ConformanceInitiator, "-I", TargetFixture.ConformanceInitiator2,
            "-t", "SCSI.Sanitize.Reset", _f.Url(TargetFixture.Conformance, TargetFixture.SanitizeResetLun));
        Assert.DoesNotContain("[SKIPPED]", reset.Output);
        LibiscsiSuite.AssertClean(WithoutTestBugs(reset), "SANITIZE Reset on a 4 GiB thin ramdisk", 1);
    }

    /// <summary>The run without the failures of <see cref="TestBugs"/> (each still reported in the output).</summary>
    private static LibiscsiRun WithoutTestBugs(LibiscsiRun run) =>
        run with { Failures = run.Failures.Where(f => !TestBugs.Keys.Any(k => f.StartsWith(k + " ", StringComparison.Ordinal))).ToList() };
}
