using System.Buffers.Binary;
using SharpSan.Scsi.ExtendedCopy;

namespace SharpSan.Scsi.Tests.ExtendedCopy;

/// <summary>EXTENDED COPY(LID1) through the engine (SPC-4 6.4): copies within a unit and between units
/// a <see cref="CopyTargetRegistry"/> knows, and every way a segment can fail (COPY ABORTED, SPC-4 6.4.4).</summary>
public class ExtendedCopyTests
{
    private static readonly LogicalUnitIdentity OtherIdentity = new("SHARPSAN", "mem1", "1.0", "11111111-2222-4333-8444-555555555555");

    /// <summary>A harness on unit A (LUN 0) and a second unit B, both in one registry.</summary>
    private static (Harness Harness, LogicalUnit Other, MemoryBackstore OtherStore) TwoUnits(MemoryBackstore? otherStore = null, LogicalUnitSettings? otherSettings = null)
    {
        var harness = new Harness();
        otherStore ??= new MemoryBackstore();
        var other = new LogicalUnit(otherStore, OtherIdentity, otherSettings ?? LogicalUnitSettings.Default);
        new CopyTargetRegistry().Publish([harness.Unit, other]);
        return (harness, other, otherStore);
    }

    private static Result Copy(Harness harness, XcopyList list, ItNexus? nexus = null)
    {
        byte[] data = list.Build();
        return harness.Run(XcopyList.Cdb(data.Length), data, nexus);
    }

    private static void Fill(MemoryBackstore store, ulong lba, int blocks, int seed) =>
        Harness.Pattern(blocks * store.BlockSize, seed).CopyTo(store.Data, (int)lba * store.BlockSize);

    private static byte[] Blocks(MemoryBackstore store, ulong lba, int blocks) =>
        store.Data.AsSpan((int)lba * store.BlockSize, blocks * store.BlockSize).ToArray();

    /// <summary>Asserts COPY ABORTED sense (fixed format) with the segment number, the segment pointer
    /// and, when given, the embedded sense of the copy target at <paramref name="party"/> (8: source, 9: destination).</summary>
    private static void AssertAborted(Result result, byte asc, byte ascq, int segment, int field, bool inSegment, int party = 0, SenseKey targetKey = 0, byte targetAsc = 0)
    {
        result.AssertSense(SenseKey.CopyAborted, asc, ascq);
        byte[] s = result.Sense;
        Assert.Equal(segment, BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(10)));
        Assert.Equal(0x80 | (inSegment ? 0x20 : 0), s[15] & 0xA0);
        Assert.Equal(field, BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(16)));
        if (party == 0)
        {
            Assert.Equal(0, s[8] | s[9]);
            return;
        }

        Assert.Equal(18, s[party]);
        Assert.Equal(0, s[party == 8 ? 9 : 8]);
        Assert.Equal(0x70, s[18]);
        Assert.Equal(targetKey, (SenseKey)(s[18 + 2] & 0x0F));
        Assert.Equal(targetAsc, s[18 + 12]);
    }

    [Fact]
    public void Blocks_are_copied_within_the_unit()
    {
        var h = new Harness();
        Fill(h.Backstore, 0, 64, 1);

        Copy(h, new XcopyList { Usage = 2 }.Target(h.Unit).Segment(0, 0, 64, 0, 1000)).AssertGood();

        Assert.Equal(Blocks(h.Backstore, 0, 64), Blocks(h.Backstore, 1000, 64));
    }

    [Fact]
    public void Blocks_are_copied_to_another_unit_the_registry_knows_and_from_it()
    {
        var (h, other, otherStore) = TwoUnits();
        Fill(h.Backstore, 10, 300, 2);
        Fill(otherStore, 500, 4, 3);

        var list = new XcopyList().Target(h.Unit).Target(other)
            .Segment(0, 1, 300, 10, 20)
            .Segment(1, 0, 4, 500, 2000);
        Copy(h, list).AssertGood();

        Assert.Equal(Blocks(h.Backstore, 10, 300), Blocks(otherStore, 20, 300));
        Assert.Equal(Blocks(otherStore, 500, 4), Blocks(h.Backstore, 2000, 4));
    }

    [Fact]
    public void A_copy_larger_than_one_chunk_is_moved_in_chunks()
    {
        var h = new Harness(new MemoryBackstore(blockCount: 16384));
        Fill(h.Backstore, 0, 4096, 4);

        Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 4096, 0, 8192)).AssertGood();

        Assert.Equal(Blocks(h.Backstore, 0, 4096), Blocks(h.Backstore, 8192, 4096));
        Assert.True(h.Backstore.Writes >= 2 * 1024 * 1024 / CopyLimits.ChunkBytes);
    }

    [Theory]
    [InlineData(100, 150)] // destination overlaps the source's end: copied from the end
    [InlineData(150, 100)] // destination overlaps the source's start: copied from the start
    public void An_overlapping_copy_within_a_unit_copies_the_source_as_it_was(ulong source, ulong destination)
    {
        var h = new Harness(new MemoryBackstore(blockCount: 16384));
        Fill(h.Backstore, source, 4000, 5);
        byte[] before = Blocks(h.Backstore, source, 4000);

        Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 4000, source, destination)).AssertGood();

        Assert.Equal(before, Blocks(h.Backstore, destination, 4000));
    }

    [Fact]
    public void A_zero_parameter_list_length_does_nothing_and_is_good()
    {
        var h = new Harness();
        Result result = h.Run(XcopyList.Cdb(0));

        result.AssertGood();
        Assert.Equal(DataDirection.None, result.Direction);
        Assert.Equal(0, h.Backstore.Writes);
    }

    [Fact]
    public void A_parameter_list_length_beyond_the_copy_managers_is_an_invalid_cdb_field()
    {
        Result result = new Harness().Run(XcopyList.Cdb(CopyLimits.MaxParameterListLength + 1), new byte[16]);

        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.False(result.Prepared);
        Assert.Equal(10, result.FieldByte);
    }

    [Fact]
    public void A_malformed_list_is_refused_with_a_field_pointer_into_the_parameter_list()
    {
        var h = new Harness();
        Result result = Copy(h, new XcopyList().Target(h.Unit).RawSegment(0x03, 0x10));

        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x09);
        Assert.True(result.Sksv);
        Assert.False(result.CommandData);
        Assert.Equal(48, result.FieldByte);
        Assert.Equal(0, h.Backstore.Writes);
    }

    [Fact]
    public void A_segment_naming_a_missing_cscd_descriptor_is_an_unreachable_copy_target()
    {
        // libiscsi's ValidSegDescr: destination index 1 with one CSCD descriptor.
        var h = new Harness();
        Result result = Copy(h, new XcopyList().Target(h.Unit).Segment(0, 1, 8, 0, 100));

        AssertAborted(result, 0x08, 0x04, 0, SegmentDescriptor.DestinationIndexByte, inSegment: true);
    }

    [Fact]
    public void A_designator_no_reachable_unit_has_is_copy_target_device_not_reachable()
    {
        var h = new Harness();
        var stranger = new LogicalUnit(new MemoryBackstore(), OtherIdentity); // not in any registry
        Result result = Copy(h, new XcopyList().Target(h.Unit).Target(stranger).Segment(0, 1, 8, 0, 100));

        AssertAborted(result, 0x0D, 0x02, 0, 16 + 32 + 8, inSegment: false);
    }

    [Fact]
    public void A_designator_two_other_units_share_names_neither()
    {
        // The NAA designator keeps only the first 25 hex digits of the wwn: these two units share it.
        var (h, other, otherStore) = TwoUnits();
        var twin = new LogicalUnit(new MemoryBackstore(), OtherIdentity with { Wwn = OtherIdentity.Wwn[..^1] + "0" });
        new CopyTargetRegistry().Publish([h.Unit, other, twin]);

        Result result = Copy(h, new XcopyList().Target(h.Unit).Target(other).Segment(0, 1, 8, 0, 100));

        AssertAborted(result, 0x0D, 0x02, 0, 16 + 32 + 8, inSegment: false);
        Assert.Equal(0, otherStore.Writes);
    }

    [Fact]
    public void The_addressed_unit_is_the_one_its_own_designator_names()
    {
        var h = new Harness();
        var twin = new LogicalUnit(new MemoryBackstore(), Harness.Identity with { Wwn = Harness.Identity.Wwn[..^1] + "0" });
        new CopyTargetRegistry().Publish([twin, h.Unit]);
        Fill(h.Backstore, 0, 8, 12);

        Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 8, 0, 100)).AssertGood();

        Assert.Equal(Blocks(h.Backstore, 0, 8), Blocks(h.Backstore, 100, 8));
    }

    [Fact]
    public void A_t10_vendor_designator_names_a_unit_too()
    {
        var store = new MemoryBackstore();
        var unit = new LogicalUnit(store, Harness.Identity with { T10VendorDesignator = "IET     00010001" });
        var h = new Harness(unit, store);
        Fill(store, 0, 2, 6);

        Copy(h, new XcopyList().Target(0x02, 0x01, "IET     00010001"u8.ToArray()).Segment(0, 0, 2, 0, 10)).AssertGood();

        Assert.Equal(Blocks(store, 0, 2), Blocks(store, 10, 2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_range_beyond_a_copy_targets_capacity_is_aborted_with_its_lba_out_of_range(bool destination)
    {
        // libiscsi's ValidSegDescr: 2048 blocks to the last LBA.
        var h = new Harness();
        ulong capacity = h.Backstore.BlockCount;
        var list = new XcopyList().Target(h.Unit).Segment(0, 0, 8, destination ? 0 : capacity - 1, destination ? capacity - 1 : 0);

        Result result = Copy(h, list);

        AssertAborted(result, 0x00, 0x00, 0, destination ? SegmentDescriptor.DestinationLbaByte : SegmentDescriptor.SourceLbaByte,
            inSegment: true, destination ? 9 : 8, SenseKey.IllegalRequest, 0x21);
        Assert.Equal(0, h.Backstore.Writes);
    }

    [Fact]
    public void The_failing_segment_is_numbered_and_earlier_segments_stay_copied()
    {
        var h = new Harness();
        Fill(h.Backstore, 0, 4, 7);
        var list = new XcopyList().Target(h.Unit).Segment(0, 0, 4, 0, 100).Segment(0, 0, 4, 0, h.Backstore.BlockCount);

        AssertAborted(Copy(h, list), 0x00, 0x00, 1, SegmentDescriptor.DestinationLbaByte, true, 9, SenseKey.IllegalRequest, 0x21);
        Assert.Equal(Blocks(h.Backstore, 0, 4), Blocks(h.Backstore, 100, 4));
    }

    [Fact]
    public void A_write_protected_destination_is_aborted_with_data_protect()
    {
        var (h, other, otherStore) = TwoUnits(otherSettings: new LogicalUnitSettings { WriteProtected = true });

        Result result = Copy(h, new XcopyList().Target(h.Unit).Target(other).Segment(0, 1, 8, 0, 0));

        AssertAborted(result, 0x00, 0x00, 0, SegmentDescriptor.DestinationIndexByte, true, 9, SenseKey.DataProtect, 0x27);
        Assert.Equal(0, otherStore.Writes);
    }

    [Fact]
    public void A_write_protected_unit_can_still_be_the_source()
    {
        var (h, other, otherStore) = TwoUnits(otherSettings: new LogicalUnitSettings { WriteProtected = true });
        Fill(otherStore, 0, 8, 8);

        Copy(h, new XcopyList().Target(other).Target(h.Unit).Segment(0, 1, 8, 0, 50)).AssertGood();

        Assert.Equal(Blocks(otherStore, 0, 8), Blocks(h.Backstore, 50, 8));
    }

    [Fact]
    public void A_copy_into_a_lun_mapped_write_protected_is_aborted()
    {
        var h = new Harness(writeProtected: true);

        Result result = Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 8, 0, 100));

        AssertAborted(result, 0x00, 0x00, 0, SegmentDescriptor.DestinationIndexByte, true, 9, SenseKey.DataProtect, 0x27);
        Assert.Equal(0, h.Backstore.Writes);
    }

    [Fact]
    public void An_offline_copy_target_is_aborted_with_its_not_ready_sense()
    {
        var (h, other, _) = TwoUnits(otherSettings: new LogicalUnitSettings { Online = false });

        Result result = Copy(h, new XcopyList().Target(other).Target(h.Unit).Segment(0, 1, 8, 0, 0));

        AssertAborted(result, 0x00, 0x00, 0, SegmentDescriptor.SourceIndexByte, true, 8, SenseKey.NotReady, 0x04);
    }

    [Fact]
    public void A_copy_target_reserved_by_another_nexus_is_not_reachable()
    {
        var (h, other, otherStore) = TwoUnits();
        var otherHarness = new Harness(other, otherStore);
        otherHarness.Run(Harness.Cdb(0x16, 0, 0, 0, 0, 0), nexus: Harness.NexusB).AssertGood(); // RESERVE(6)

        Result result = Copy(h, new XcopyList().Target(h.Unit).Target(other).Segment(0, 1, 8, 0, 0));

        AssertAborted(result, 0x0D, 0x02, 0, 16 + 32 + 8, inSegment: false);
        Assert.Equal(0, otherStore.Writes);
    }

    [Fact]
    public void A_disk_block_length_other_than_the_copy_targets_is_an_incorrect_device_type()
    {
        var h = new Harness();

        Result result = Copy(h, new XcopyList().Target(h.Unit, blockLength: 4096).Segment(0, 0, 8, 0, 100));

        AssertAborted(result, 0x0D, 0x03, 0, 16 + 29, inSegment: false);
    }

    [Fact]
    public void Units_of_different_block_lengths_copy_whole_blocks_counted_on_either_side()
    {
        var (h, other, otherStore) = TwoUnits(new MemoryBackstore(blockCount: 512, blockSize: 4096));
        Fill(h.Backstore, 0, 16, 9);

        Copy(h, new XcopyList().Target(h.Unit).Target(other).Segment(0, 1, 16, 0, 3)).AssertGood();          // 16 source blocks
        Copy(h, new XcopyList().Target(h.Unit).Target(other).Segment(0, 1, 2, 0, 10, dc: true)).AssertGood(); // 2 destination blocks

        Assert.Equal(Blocks(h.Backstore, 0, 16), Blocks(otherStore, 3, 2));
        Assert.Equal(Blocks(h.Backstore, 0, 16), Blocks(otherStore, 10, 2));
        AssertAborted(Copy(h, new XcopyList().Target(h.Unit).Target(other).Segment(0, 1, 3, 0, 0)),
            0x0D, 0x03, 0, SegmentDescriptor.BlockCountByte, inSegment: true);
    }

    [Fact]
    public void A_medium_error_while_reading_is_aborted_with_the_sources_sense()
    {
        var h = new Harness();
        h.Backstore.FailReads = true;

        AssertAborted(Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 8, 0, 100)),
            0x00, 0x00, 0, SegmentDescriptor.SourceLbaByte, true, 8, SenseKey.MediumError, 0x11);
    }

    [Fact]
    public void A_medium_error_while_writing_is_aborted_with_the_destinations_sense()
    {
        var h = new Harness();
        h.Backstore.FailWrites = true;

        AssertAborted(Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 8, 0, 100)),
            0x00, 0x00, 0, SegmentDescriptor.DestinationLbaByte, true, 9, SenseKey.MediumError, 0x0C);
    }

    [Fact]
    public void Descriptor_format_sense_carries_the_segment_and_its_pointer()
    {
        var store = new MemoryBackstore();
        var h = new Harness(new LogicalUnit(store, Harness.Identity, new LogicalUnitSettings { DescriptorSense = true }), store);

        Result result = Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 8, 0, 100).Segment(0, 3, 8, 0, 100));

        result.AssertSense(SenseKey.CopyAborted, 0x08, 0x04);
        byte[] s = result.Sense;
        Assert.Equal(0x72, s[0]);
        Assert.Equal((0x01, 1), (s[8], (int)BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(18))));
        Assert.Equal((0x02, 0xA0, SegmentDescriptor.DestinationIndexByte), (s[20], s[24] & 0xA0, (int)BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(25))));
    }

    [Fact]
    public void Extended_copy_conflicts_with_another_nexus_reserve()
    {
        var h = new Harness();
        h.Run(Harness.Cdb(0x16, 0, 0, 0, 0, 0), nexus: Harness.NexusB).AssertGood();

        Result result = Copy(h, new XcopyList().Target(h.Unit).Segment(0, 0, 8, 0, 100));

        Assert.Equal(ScsiStatus.ReservationConflict, result.Status);
    }

    [Fact]
    public void Standard_inquiry_reports_3pc_for_a_disk()
    {
        Result result = new Harness().Run(Harness.Cdb(0x12, 0, 0, 0, 96, 0));

        Assert.Equal(0x08, result.Data[5] & 0x08);
    }
}
