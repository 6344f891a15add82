using SharpSan.Config;

namespace SharpSan.TargetCli.Tests;

/// <summary>targetcli's "set attribute" on a backstore for thin provisioning (LIO's emulate_tpu,
/// emulate_tpws and the UNMAP / WRITE SAME limits).</summary>
public sealed class ProvisioningAttributeCommandTests
{
    [Fact]
    public void Emulate_tpu_and_the_limits_are_set_on_a_backstore_and_read_back()
    {
        using var h = new ShellHarness();
        Assert.Equal(["Created ramdisk rd with size 1M."], h.Run("/backstores/ramdisk create rd 1M"));
        Assert.Equal(["emulate_tpu=0 "], h.Run("/backstores/ramdisk/rd get attribute emulate_tpu"));
        Assert.Equal(["Parameter emulate_tpu is now '1'.", "Parameter emulate_tpws is now '1'."],
            h.Run("/backstores/ramdisk/rd set attribute emulate_tpu=1 emulate_tpws=1"));
        Assert.Equal(["Parameter max_write_same_len is now '4096'."], h.Run("/backstores/ramdisk/rd set attribute max_write_same_len=4096"));
        var attributes = h.Client.Current.StorageObjects[0].ExtraAttributes;
        Assert.Equal(1, LioStorageAttributes.EmulateTpu.ValueIn(attributes));
        Assert.Equal(1, LioStorageAttributes.EmulateTpws.ValueIn(attributes));
        Assert.Equal(4096, LioStorageAttributes.MaxWriteSameLen.ValueIn(attributes));
        Assert.Equal(["emulate_tpu=1 "], h.Run("/backstores/ramdisk/rd get attribute emulate_tpu"));
    }

    [Fact]
    public void Values_outside_lios_range_are_refused()
    {
        using var h = new ShellHarness();
        h.Run("/backstores/ramdisk create rd 1M");
        Assert.Equal(["Cannot set attribute emulate_tpu: Invalid argument (0 or 1)"], h.Run("/backstores/ramdisk/rd set attribute emulate_tpu=2"));
        Assert.Equal(["Not setting emulate_tpws! Syntax error, 'on' is not a NUMBER."], h.Run("/backstores/ramdisk/rd set attribute emulate_tpws=on"));
        Assert.Null(LioStorageAttributes.EmulateTpu.ValueIn(h.Client.Current.StorageObjects[0].ExtraAttributes));
    }
}
