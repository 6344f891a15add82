using System.Security.Cryptography;

namespace SharpSan.Interop.Tests;

/// <summary>Bulk data through QEMU's iSCSI block driver (libiscsi), with and without header digests.</summary>
[Collection("target")]
public sealed class QemuTests
{
    private readonly TargetFixture _f;

    public QemuTests(TargetFixture fixture)
    {
        _f = fixture;
        Tool.Require("qemu-img", "qemu-io");
    }

    private static string RandomFile(string dir, int bytes, int seed)
    {
        var path = Path.Combine(dir, $"random-{seed}-{bytes}.bin");
        var rng = new Random(seed);
        var buffer = new byte[1 << 20];
        using var fs = File.Create(path);
        for (int done = 0; done < bytes; done += buffer.Length)
        {
            rng.NextBytes(buffer);
            fs.Write(buffer, 0, Math.Min(buffer.Length, bytes - done));
        }
        return path;
    }

    private static string Sha256(string path, long length)
    {
        using var fs = File.OpenRead(path);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long left = length;
        while (left > 0)
        {
            int n = fs.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) break;
            sha.AppendData(buffer, 0, n);
            left -= n;
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    [Fact]
    public void Qemu_img_convert_256MiB_into_the_lun_and_back_is_identical()
    {
        const int size = 256 << 20;
        var source = RandomFile(_f.Dir, size, 1);
        var url = _f.Url(TargetFixture.Open, 0);
        var write = Tool.Run("qemu-img", new[] { "convert", "-n", "-f", "raw", "-O", "raw", source, url }, TimeSpan.FromMinutes(10));
        Assert.True(write.ExitCode == 0, write.ToString());
        var back = Path.Combine(_f.Dir, "back.bin");
        var read = Tool.Run("qemu-img", new[] { "convert", "-f", "raw", "-O", "raw", url, back }, TimeSpan.FromMinutes(10));
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(Sha256(source, size), Sha256(back, size));
        File.Delete(source);
        File.Delete(back);
    }

    [Fact]
    public void Header_digest_crc32c_is_negotiated_and_data_round_trips()
    {
        var source = RandomFile(_f.Dir, 8 << 20, 2);
        string opts = $"driver=iscsi,transport=tcp,portal=127.0.0.1:{_f.Port},target={TargetFixture.Open},lun=1,header-digest=crc32c,initiator-name=iqn.2026-11.io.sharpsan.test:digest";
        var write = Tool.Run("qemu-img", new[] { "convert", "-n", "-f", "raw", "--target-image-opts", source, opts }, TimeSpan.FromMinutes(5));
        Assert.True(write.ExitCode == 0, write.ToString());
        var back = Path.Combine(_f.Dir, "back-digest.bin");
        var read = Tool.Run("qemu-img", new[] { "convert", "--image-opts", opts, "-O", "raw", back }, TimeSpan.FromMinutes(5));
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(Sha256(source, 8 << 20), Sha256(back, 8 << 20));
        Assert.Contains("iqn.2026-11.io.sharpsan.test:digest", _f.Target.Log);
        Assert.Contains("HeaderDigest=CRC32C", _f.Target.Log);
    }

    [Fact]
    public void Four_kib_block_lun_round_trips()
    {
        var source = RandomFile(_f.Dir, 16 << 20, 3);
        var url = _f.Url(TargetFixture.Open, 2);
        var write = Tool.Run("qemu-img", new[] { "convert", "-n", "-f", "raw", "-O", "raw", source, url }, TimeSpan.FromMinutes(5));
        Assert.True(write.ExitCode == 0, write.ToString());
        var back = Path.Combine(_f.Dir, "back-4k.bin");
        var read = Tool.Run("qemu-img", new[] { "convert", "-f", "raw", "-O", "raw", url, back }, TimeSpan.FromMinutes(5));
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(Sha256(source, 16 << 20), Sha256(back, 16 << 20));
    }

    [Fact]
    public void Write_protected_mapping_is_opened_read_only_and_serves_reads()
    {
        string Opts(string initiator) =>
            $"driver=iscsi,transport=tcp,portal=127.0.0.1:{_f.Port},target={TargetFixture.Guarded},lun={(initiator == TargetFixture.Reader ? 0 : 5)},initiator-name={initiator}";
        var write = Tool.Run("qemu-io", "--image-opts", Opts(TargetFixture.Writer), "-c", "write -P 0x5a 0 4k");
        Assert.True(write.ExitCode == 0 && !write.Output.Contains("failed"), write.ToString());

        // QEMU reads the WP bit of MODE SENSE and refuses to open the LUN for writing.
        var denied = Tool.Run("qemu-io", "--image-opts", Opts(TargetFixture.Reader), "-c", "write -P 0x11 0 4k");
        Assert.Contains("write protect", denied.Output);

        var read = Tool.Run("qemu-io", "-r", "--image-opts", Opts(TargetFixture.Reader), "-c", "read -P 0x5a 0 4k");
        Assert.True(read.ExitCode == 0 && !read.Output.Contains("failed"), read.ToString());
    }
}
