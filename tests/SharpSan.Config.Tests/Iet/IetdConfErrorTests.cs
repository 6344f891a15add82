namespace SharpSan.Config.Tests.Iet;

/// <summary>Every way ietd.conf is refused: one line, "FILE:LINE: reason".</summary>
public sealed class IetdConfErrorTests : IDisposable
{
    private const string T = "Target " + IetFiles.Iqn + "\n";
    private readonly IetFiles _f = new();

    public void Dispose() => _f.Dispose();

    public static TheoryData<string, int, string> Cases() => new()
    {
        // structure
        { "Lun 0 Path=DISK\n", 1, "Lun outside a Target block (target options follow a \"Target NAME\" line)" },
        { "MaxBurstLength 4096\n", 1, "MaxBurstLength outside a Target block" },
        { T + "Frobnicate 1\n", 2, "unknown directive \"Frobnicate\"" },
        { "Target\n", 1, "Target needs a name" },
        { "Target " + IetFiles.Iqn + " extra\n", 1, "Target: unexpected \"extra\" (a comment starts with #)" },
        { "Target iqn.2001-04.org.ultimana:Disk1\n", 1, "Target iSCSI name \"iqn.2001-04.org.ultimana:Disk1\" must be lowercase" },
        { "Target disk1\n", 1, "Target \"disk1\" is not an iSCSI name" },
        { T + T, 2, "duplicate Target " + IetFiles.Iqn + " (also on line 1)" },
        // accounts
        { "IncomingUser joe\n", 1, "IncomingUser needs a user name and a secret" },
        { T + "OutgoingUser jim\n", 2, "OutgoingUser needs a user name and a secret" },
        { T + "OutgoingUser jim # secret\n", 2, "OutgoingUser: unexpected \"secret\"" },
        { T + "IncomingUser joe secret1secret extra\n", 2, "IncomingUser: unexpected \"extra\"" },
        { T + "IncomingUser joe secret1secret\nIncomingUser joe secret2secret\n", 3, "IncomingUser joe of target " + IetFiles.Iqn + " has another secret on line 2" },
        { "IncomingUser a secret1secret\nIncomingUser b secret2secret\n", 2, "a second discovery IncomingUser (b): SharpSAN's discovery authentication has one account (line 1)" },
        { T + "IncomingUser joe secret1secret\nTarget iqn.2001-04.org.ultimana:storage.disk2\nOutgoingUser joe secret2secret\n", 4, "user joe has another secret on line 2" },
        { "iSNSAccessControl Yes\n", 1, "iSNSAccessControl Yes: access control through an iSNS server is not supported" },
        // Lun
        { T + "Lun\n", 2, "Lun needs a number and its parameters" },
        { T + "Lun x Path=DISK\n", 2, "Lun \"x\" is not a LUN number (0 to 16383)" },
        { T + "Lun 16384 Path=DISK\n", 2, "Lun 16384 is out of range (0 to 16383)" },
        { T + "Lun 0\n", 2, "Lun 0: missing \"Path\" parameter" },
        { T + "Lun 0 Type=fileio\n", 2, "Lun 0: missing \"Path\" parameter" },
        { T + "Lun 0 Path=DISK, Type=fileio\n", 2, "Lun 0: blank space in the parameters before \"Type=fileio\"" },
        { T + "Lun 1 Path=DISK,Type=nullio\n", 2, "Lun 1: Type \"nullio\" (IET's null device for benchmarks: writes dropped, no storage) is not supported" },
        { T + "Lun 1 Path=DISK,Type=rdwr\n", 2, "Lun 1: unknown Type \"rdwr\" (fileio, blockio)" },
        { T + "Lun 1 Path=DISK,type=fileio\n", 2, "Lun 1: unknown parameter \"type=fileio\" (Type, Path, IOMode, ScsiId, ScsiSN, BlockSize)" },
        { T + "Lun 1 Path=DISK,Type=fileio,Path=DISK\n", 2, "Lun 1: duplicate \"Path\" parameter" },
        { T + "Lun 1 Path=,Type=fileio\n", 2, "Lun 1: Path is empty" },
        { T + "Lun 1 Path=disk.img\n", 2, "Lun 1: Path \"disk.img\" is not an absolute path" },
        { T + "Lun 1 Path=DISK,IOMode=rw\n", 2, "Lun 1: unknown IOMode \"rw\" (wt, wb, ro)" },
        { T + "Lun 1 Path=DISK,ScsiId=12345678901234567\n", 2, "Lun 1: ScsiId \"12345678901234567\" is longer than 16 characters" },
        { T + "Lun 1 Path=DISK,ScsiSN=12345678901234567\n", 2, "Lun 1: ScsiSN \"12345678901234567\" is longer than 16 characters" },
        { T + "Lun 1 Path=DISK,BlockSize=8192\n", 2, "Lun 1: BlockSize \"8192\" is not 512, 1024, 2048 or 4096" },
        { T + "Lun 1 Path=DISK,BlockSize=2048\n", 2, "Lun 1: BlockSize 2048 is not supported by SharpSAN's backstores (512 or 4096)" },
        { T + "Lun 1 Sectors=10000,Type=fileio,Path=DISK\n", 2, "Lun 1: Sectors is a nullio parameter" },
        { T + "Lun 1 Path=DISK\nLun 1 Path=DISK\n", 3, "duplicate Lun 1 in target " + IetFiles.Iqn + " (also on line 2)" },
        { T + "Lun 0 Path=/nonexistent/disk.img\n", 2, "Lun 0: Path /nonexistent/disk.img does not exist" },
        { T + "Lun 0 Path=/tmp\n", 2, "Lun 0: Path /tmp is a directory" },
        { T + "Lun 0 Path=DISK,Type=blockio\n", 2, "Lun 0: Type=blockio needs a block device; DISK is not one (use Type=fileio for a file)" },
        { T + "Lun 0 Path=/dev/null\n", 2, "Lun 0: /dev/null is 0 bytes, smaller than one 512-byte block" },
        // keys
        { T + "MaxBurstLength\n", 2, "MaxBurstLength needs a value" },
        { T + "MaxBurstLength 256k\n", 2, "MaxBurstLength \"256k\" is not a number" },
        { T + "MaxBurstLength 100\n", 2, "MaxBurstLength 100 is out of range (512 to 16777215)" },
        { T + "MaxRecvDataSegmentLength 16777216\n", 2, "MaxRecvDataSegmentLength 16777216 is out of range (512 to 16777215)" },
        { T + "MaxBurstLength 8192 16384\n", 2, "MaxBurstLength: unexpected \"16384\"" },
        { T + "InitialR2T yes\n", 2, "InitialR2T \"yes\" is not Yes or No (case-sensitive, as IET reads it)" },
        { T + "HeaderDigest CRC32\n", 2, "HeaderDigest \"CRC32\" is not None, CRC32C or a comma-separated list of them" },
        { T + "DataDigest None, CRC32C\n", 2, "DataDigest: unexpected \"CRC32C\"" },
        { T + "MaxConnections 2\n", 2, "MaxConnections 2 is not supported: one connection per session (no MC/S), as IET (MaxConnections 1)" },
        { T + "ErrorRecoveryLevel 1\n", 2, "ErrorRecoveryLevel 1 is not supported: error recovery level 0 only, as IET (ErrorRecoveryLevel 0)" },
        { T + "DataPDUInOrder No\n", 2, "DataPDUInOrder No is not supported: data PDUs in order only, as IET (DataPDUInOrder Yes)" },
        { T + "DataSequenceInOrder No\n", 2, "DataSequenceInOrder No is not supported" },
        { T + "OFMarker Yes\n", 2, "OFMarker Yes is not supported: no markers" },
        { T + "QueuedCommands 257\n", 2, "QueuedCommands 257 is out of range (1 to 256)" },
        { T + "Wthreads 0\n", 2, "Wthreads 0 is out of range (1 to 128)" },
        { T + "NOPInterval 91\n", 2, "NOPInterval 91 is out of range (0 to 90)" },
        { T + "MaxSessions 1\n", 2, "MaxSessions 1: limiting the sessions of a target is not supported" },
        { T + "MaxSessions many\n", 2, "MaxSessions \"many\" is not a number from 0 to 65535" },
        { T + "MaxBurstLength 65536\nFirstBurstLength 131072\n", 3, "FirstBurstLength 131072 exceeds MaxBurstLength 65536 (RFC 7143 §13.14)" },
        { T + "Alias\n", 2, "Alias needs a name" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_with_file_line_and_reason(string conf, int line, string reason)
    {
        var message = _f.Error(conf.Replace("DISK", _f.Disk));
        Assert.StartsWith($"{_f.Conf}:{line}: ", message);
        Assert.Contains(reason.Replace("DISK", _f.Disk), message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_missing_file_is_an_io_error()
    {
        Assert.Throws<FileNotFoundException>(() => IetdConfReader.Load(_f.File("absent.conf")));
    }
}
