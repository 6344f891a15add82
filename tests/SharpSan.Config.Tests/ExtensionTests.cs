namespace SharpSan.Config.Tests;

/// <summary>SharpSAN's own keys (sharpsan_device, sharpsan_tgt): round trip, absence in plain LIO
/// files, and precise errors.</summary>
public sealed class ExtensionTests
{
    private static SanConfig TgtConfig()
    {
        var config = new SanConfig();
        var so = new StorageObjectConfig { Plugin = "fileio", Name = "tgt1_lun1", Dev = "/srv/disk.img", Size = 1 << 20, Wwn = "6e1f5ad4-6c2f-4b0e-9f6b-0d2c3a4b5c6d" };
        so.Device.ScsiId = "IET     00010001";
        so.Device.ScsiSerial = "beaf11";
        so.Device.TgtBsType = "rdwr";
        so.Device.VendorId = "IET";
        var iso = new StorageObjectConfig { Plugin = "fileio", Name = "tgt1_lun2", Dev = "/srv/x.iso", Size = 2048 * 10, BlockSize = 2048, Wwn = "7e1f5ad4-6c2f-4b0e-9f6b-0d2c3a4b5c6d" };
        iso.Device.DeviceType = DeviceConfig.Cd;
        iso.Device.Readonly = true;
        iso.Device.MediumPresent = false;
        config.StorageObjects.AddRange([so, iso]);
        var t = new TargetConfig { Wwn = "iqn.2001-04.com.example:storage.disk1", Tgt = new TgtTargetConfig { Tid = 1, OutgoingUser = "out" } };
        t.Tgt.InitiatorAddresses.AddRange(["ALL", "10.0.0.0/8", "[fe80::1]"]);
        t.Tgt.InitiatorNames.Add("iqn.1993-08.org.debian:01:378a830d17c");
        t.Tgt.IncomingUsers.Add("in");
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "0.0.0.0", Port = 3260 });
        tpg.Luns.Add(new LunConfig { Index = 1, StorageObject = so.Path });
        tpg.Luns.Add(new LunConfig { Index = 2, StorageObject = iso.Path });
        t.Tpgs.Add(tpg);
        config.Targets.Add(t);
        config.Tgt.Accounts.Add(new TgtAccountConfig { User = "in", Password = "in-secret-123" });
        config.Tgt.Accounts.Add(new TgtAccountConfig { User = "out", Password = "out-secret-123" });
        config.Tgt.Portals.Add("0.0.0.0:3260");
        return config;
    }

    [Fact]
    public void TgtAndDeviceSettings_RoundTrip()
    {
        var text = SaveConfigWriter.Serialize(TgtConfig());
        var back = SaveConfigReader.Parse(text);
        Assert.Equal(text, SaveConfigWriter.Serialize(back));
        Assert.Equal("IET     00010001", back.StorageObjects[0].Device.ScsiId);
        Assert.True(back.StorageObjects[1].Device.IsCd);
        Assert.False(back.StorageObjects[1].Device.MediumPresent);
        Assert.Equal(1, back.Targets[0].Tgt!.Tid);
        Assert.Equal(["ALL", "10.0.0.0/8", "[fe80::1]"], back.Targets[0].Tgt!.InitiatorAddresses);
        Assert.Equal("out", back.Targets[0].Tgt!.OutgoingUser);
        Assert.Equal("in-secret-123", back.Tgt.FindAccount("in")!.Password);
    }

    [Fact]
    public void PlainLioFile_GetsNoSharpSanKeys()
    {
        var text = SaveConfigWriter.Serialize(SaveConfigReader.Parse(Fixtures.LioSaveConfig));
        Assert.DoesNotContain("sharpsan", text);
    }

    [Theory]
    [InlineData("\"tid\": 1", "\"tid\": 0", "$.targets[0].sharpsan_tgt.tid: tid must be 1 or more")]
    [InlineData("\"10.0.0.0/8\"", "\"10.0.0.0/33\"", "$.targets[0].sharpsan_tgt.initiator_addresses[1]")]
    [InlineData("\"outgoing_user\": \"out\"", "\"outgoing_user\": \"nobody\"", "$.targets[0].sharpsan_tgt.outgoing_user: no account nobody")]
    [InlineData("\"device_type\": \"disk\"", "\"device_type\": \"tape\"", "$.storage_objects[0].sharpsan_device.device_type")]
    [InlineData("\"scsi_sn\": \"beaf11\"", "\"scsi_sn\": \"beaf11\", \"colour\": 1", "$.storage_objects[0].sharpsan_device.colour: unknown key")]
    public void BadExtensionValues_AreRefusedWithTheirPath(string find, string replace, string expected)
    {
        var text = SaveConfigWriter.Serialize(TgtConfig());
        Assert.Contains(find, text);
        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(text.Replace(find, replace)));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("ALL", "203.0.113.9", true)]
    [InlineData("192.168.56.0/24", "192.168.56.200", true)]
    [InlineData("192.168.56.0/24", "192.168.57.1", false)]
    [InlineData("192.168.56.7", "192.168.56.7", true)]
    [InlineData("[fe80::1]", "fe80::1", true)]
    [InlineData("fe80::/16", "fe80::abcd", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    public void AddressRules_MatchAsTgtDoes(string rule, string peer, bool expected)
    {
        Assert.True(TgtAddressRule.TryParse(rule, out var r));
        Assert.Equal(expected, r.Matches(System.Net.IPAddress.Parse(peer)));
    }

    [Theory]
    [InlineData("all")]
    [InlineData("10.0.0.0/")]
    [InlineData("host.example.com")]
    [InlineData("1.2.3.4/40")]
    public void BadAddressRules_DoNotParse(string rule) => Assert.False(TgtAddressRule.TryParse(rule, out _));
}

/// <summary>LIO's "nullio" ramdisk flag: read, written back only when set, refused elsewhere.</summary>
public sealed class NullIoTests
{
    private const string File = """
        {"fabric_modules": [], "targets": [], "storage_objects": [
          {"attributes": {"block_size": 512}, "name": "n", "nullio": true, "plugin": "ramdisk", "size": 1048576, "wwn": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}]}
        """;

    [Fact]
    public void A_nullio_ramdisk_round_trips()
    {
        var config = SaveConfigReader.Parse(File);
        Assert.True(config.StorageObjects[0].NullIo);
        Assert.Contains("\"nullio\": true", SaveConfigWriter.Serialize(config));
        config.StorageObjects[0].NullIo = false;
        Assert.DoesNotContain("nullio", SaveConfigWriter.Serialize(config));
    }

    [Fact]
    public void Nullio_on_a_fileio_is_refused()
    {
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig { Plugin = "fileio", Name = "f", Dev = "/tmp/f", Size = 1 << 20, Wwn = "x", NullIo = true });
        var ex = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(config));
        Assert.Contains("nullio", ex.Message);
    }
}
