using System.Text.Json.Nodes;

namespace SharpSan.Config.Tests;

/// <summary>The storage object attributes of logical block provisioning (emulate_tpu, emulate_tpws,
/// unmap_zeroes_data, the UNMAP / WRITE SAME limits): checked against LIO's ranges and kept through a
/// load/save round trip.</summary>
public class ProvisioningAttributeTests
{
    private static SanConfig With(string name, JsonNode? value)
    {
        var so = new StorageObjectConfig { Plugin = "ramdisk", Name = "rd", Size = 1 << 20, Wwn = "6a0b1c2d-0000-4000-8000-0000000000aa" };
        so.ExtraAttributes[name] = value;
        var config = new SanConfig();
        config.StorageObjects.Add(so);
        return config;
    }

    [Theory]
    [InlineData("emulate_tpu", 2)]
    [InlineData("emulate_tpws", -1)]
    [InlineData("unmap_zeroes_data", 3)]
    [InlineData("max_unmap_lba_count", -5)]
    public void A_value_out_of_lios_range_is_refused_with_its_path(string name, int value)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(With(name, JsonValue.Create(value))));
        Assert.Equal($"$.storage_objects[0].attributes.{name}", ex.JsonPath);
        Assert.Contains("out of range", ex.Reason);
    }

    [Fact]
    public void A_value_that_is_not_an_integer_is_refused()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(With("emulate_tpu", JsonValue.Create("yes"))));
        Assert.Contains("must be an integer", ex.Reason);
    }

    [Fact]
    public void Attributes_round_trip_through_saveconfig()
    {
        var config = With("emulate_tpu", JsonValue.Create(1));
        config.StorageObjects[0].ExtraAttributes["max_write_same_len"] = JsonValue.Create(4096);
        ConfigValidator.Validate(config);
        var back = SaveConfigReader.Parse(SaveConfigWriter.Serialize(config), "copy");
        Assert.Equal(1, LioStorageAttributes.EmulateTpu.ValueIn(back.StorageObjects[0].ExtraAttributes));
        Assert.Equal(4096, LioStorageAttributes.MaxWriteSameLen.ValueIn(back.StorageObjects[0].ExtraAttributes));
    }

    [Fact]
    public void Every_honoured_attribute_is_found_by_name_and_has_its_default_in_range()
    {
        foreach (var attribute in LioStorageAttributes.Honoured)
        {
            Assert.Same(attribute, LioStorageAttributes.Find(attribute.Name));
            Assert.InRange(attribute.Default, attribute.Min, attribute.Max);
        }

        Assert.Null(LioStorageAttributes.Find("emulate_caw"));
    }
}
