using System.Diagnostics;
using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

/// <summary>Block deallocation through a loop device: fallocate PUNCH_HOLE on the device becomes a hole
/// in the loop device's backing file.</summary>
public class BlockProvisioningTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Deallocating_on_a_loop_device_punches_a_hole_in_its_backing_file()
    {
        Requirement.SkipUnlessMet(Requirement.Root("attaching a loop device needs root") ?? Requirement.LoopDevices() ?? Requirement.Tools("losetup"));
        using var dir = new TempDirectory();
        string image = dir.File("loop.img");
        using (var file = File.Create(image))
        {
            file.SetLength(16 * MiB);
        }

        string device = Run("losetup", $"-f --show {image}").Trim();
        try
        {
            await using var backstore = new BlockBackstore("loop", device, 512, writeBack: true, readOnly: false);
            Assert.True(backstore.Capabilities is { Unmap: true, UnmappedReadsZero: true, WriteZeroes: true },
                $"a loop device over a file on {image} discards and zeroes");
            byte[] data = new byte[4 * MiB];
            new Random(3).NextBytes(data);
            await backstore.WriteAsync(0, data, WriteFlags.Fua, CancellationToken.None);
            await backstore.FlushAsync(CancellationToken.None);
            byte[] back = await PunchedHole.DeallocateTheMiddleTwoMiBAsync(backstore, image, WriteFlags.Fua);
            Assert.Equal(data.AsSpan(3 * MiB).ToArray(), back.AsSpan(3 * MiB).ToArray());

            await backstore.WriteZeroesAsync(0, 16, WriteFlags.None, CancellationToken.None);
            await backstore.ReadAsync(0, back.AsMemory(0, 8192), CancellationToken.None);
            Assert.False(back.AsSpan(0, 8192).ContainsAnyExcept((byte)0));
        }
        finally
        {
            Run("losetup", $"-d {device}");
        }
    }

    [Fact]
    public async Task A_regular_file_standing_in_for_a_device_declares_no_deallocation()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.img");
        using (var file = File.Create(path))
        {
            file.SetLength(MiB);
        }

        await using var backstore = new BlockBackstore("b", path, 512, true, false, allowRegularFile: true);
        Assert.False(backstore.Capabilities.Unmap);
        Assert.True(backstore.Capabilities.WriteZeroes);
        await Assert.ThrowsAsync<NotSupportedException>(async () => await backstore.DeallocateAsync(0, 1, WriteFlags.None, CancellationToken.None));
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Mapped, 7), backstore.GetLbaStatus(0, 7));
    }

    private static string Run(string tool, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {arguments}: {error}");
        return output;
    }
}
