namespace SharpSan.TargetCli.Tests;

/// <summary>CD-ROM storage objects: create with device_type=cd, load and eject, ls and info.</summary>
public sealed class CdCommandTests
{
    private static string Image(ShellHarness h, string name, int sectors)
    {
        var file = Path.Combine(h.Folder, name);
        File.WriteAllBytes(file, new byte[sectors * 2048]);
        return file;
    }

    [Fact]
    public void Fileio_create_with_device_type_cd_makes_a_read_only_drive_with_2048_byte_blocks()
    {
        using var h = new ShellHarness();
        var iso = Image(h, "x.iso", 4);
        Assert.Equal(["Created fileio iso1 with size 8192"], h.Run($"/backstores/fileio create name=iso1 file_or_dev={iso} device_type=cd"));
        var so = Assert.Single(h.Client.Current.StorageObjects);
        Assert.Equal(("cd", 2048, 8192UL, false, true), (so.Device.DeviceType, so.BlockSize, so.Size, so.WriteBack, so.Device.MediumPresent));
        Assert.EndsWith($"[{iso} (8.0KiB) cd deactivated]", h.Run("ls /backstores/fileio")[1]);
        Assert.Equal([$"dev: {iso}", "device_type: cd", "medium: loaded", "name: iso1", "plugin: fileio", "size: 8192"],
            h.Run("/backstores/fileio/iso1 info").Where(l => !l.StartsWith("w", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public void A_cd_needs_an_existing_image_of_whole_sectors()
    {
        using var h = new ShellHarness();
        var missing = Path.Combine(h.Folder, "none.iso");
        Assert.Equal([$"A cd needs an existing image: {missing} does not exist"], h.Run($"/backstores/fileio create iso1 {missing} device_type=cd"));
        var odd = Path.Combine(h.Folder, "odd.iso");
        File.WriteAllBytes(odd, new byte[3000]);
        Assert.Equal([$"{odd} is not a cd image: 3000 bytes is not a whole number of 2048-byte sectors"], h.Run($"/backstores/fileio create iso1 {odd} device_type=cd"));
        Assert.Equal(["device_type must be disk or cd, not tape"], h.Run($"/backstores/fileio create iso1 {odd} device_type=tape"));
        Assert.Empty(h.Client.Current.StorageObjects);
    }

    [Fact]
    public void Load_and_eject_change_the_medium_of_the_storage_object()
    {
        using var h = new ShellHarness();
        var first = Image(h, "a.iso", 4);
        var second = Image(h, "b.iso", 6);
        h.Run($"/backstores/fileio create iso1 {first} device_type=cd");

        Assert.Equal(["Ejected the medium of fileio/iso1."], h.Run("/backstores/fileio/iso1 eject"));
        Assert.False(h.Client.Current.StorageObjects[0].Device.MediumPresent);
        Assert.EndsWith("[cd, no medium deactivated]", h.Run("ls /backstores/fileio")[1]);
        Assert.Equal(["No medium in fileio/iso1."], h.Run("/backstores/fileio/iso1 eject"));

        Assert.Equal([$"Loaded {second} into fileio/iso1."], h.Run($"/backstores/fileio/iso1 load file_or_dev={second}"));
        var so = h.Client.Current.StorageObjects[0];
        Assert.Equal((second, 12288UL, true), (so.Dev, so.Size, so.Device.MediumPresent));
    }

    [Fact]
    public void A_disk_has_no_load_or_eject()
    {
        using var h = new ShellHarness();
        h.Run("/backstores/ramdisk create rd1 1M");
        var output = h.Run("/backstores/ramdisk/rd1 eject");
        Assert.Single(output);
        Assert.Contains("eject", output[0]);
        Assert.DoesNotContain("Ejected", output[0]);
    }
}
