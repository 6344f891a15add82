using System.Buffers.Binary;
using SharpSan.Scsi.ExtendedCopy;

namespace SharpSan.Scsi.Tests.ExtendedCopy;

/// <summary>RECEIVE COPY RESULTS(LID1) (SPC-4 6.18), the copy results it reports per nexus and list
/// identifier, OPERATION IN PROGRESS for a running list identifier, and the Third-party Copy VPD page.</summary>
public class ReceiveCopyResultsTests
{
    private static Result Copy(Harness h, XcopyList list, ItNexus? nexus = null)
    {
        byte[] data = list.Build();
        return h.Run(XcopyList.Cdb(data.Length), data, nexus);
    }

    private static Result Status(Harness h, byte listId, ItNexus? nexus = null, uint allocation = 1024) =>
        h.Run(XcopyList.ReceiveCopyResults(0x00, listId, allocation), nexus: nexus);

    [Fact]
    public void Operating_parameters_report_the_copy_managers_limits()
    {
        Result result = new Harness().Run(XcopyList.ReceiveCopyResults(0x03, 0));

        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(46, d.Length);
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32BigEndian(d));                 // AVAILABLE DATA
        Assert.Equal(0x01, d[4]);                                                   // SNLID
        Assert.Equal(CopyLimits.MaxCscdDescriptors, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(8)));
        Assert.Equal(CopyLimits.MaxSegmentDescriptors, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(10)));
        Assert.Equal((uint)CopyLimits.MaxDescriptorListLength, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(12)));
        Assert.Equal(CopyLimits.MaxSegmentLength, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(16)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(20)));       // MAXIMUM INLINE DATA LENGTH
        Assert.Equal(CopyLimits.TotalConcurrentCopies, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(34)));
        Assert.Equal(CopyLimits.MaxConcurrentCopies, d[36]);
        Assert.Equal(9, d[37]);
        Assert.Equal(new byte[] { 2, 0x02, 0xE4 }, d[43..46]);
    }

    [Fact]
    public void Operating_parameters_are_truncated_to_the_allocation_length()
    {
        Result result = new Harness().Run(XcopyList.ReceiveCopyResults(0x03, 0, 12));

        result.AssertGood();
        Assert.Equal(12, result.Data.Length);
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32BigEndian(result.Data));
    }

    [Fact]
    public void Copy_status_of_an_unknown_list_identifier_is_an_invalid_cdb_field()
    {
        Result result = Status(new Harness(), 1);

        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(2, result.FieldByte);
    }

    [Fact]
    public void Copy_status_reports_a_held_copy_once_then_discards_it()
    {
        var h = new Harness();
        Copy(h, new XcopyList { ListId = 7 }.Target(h.Unit).Segment(0, 0, 8, 0, 100).Segment(0, 0, 2, 0, 200)).AssertGood();

        Result status = Status(h, 7);
        status.AssertGood();
        Assert.Equal(new byte[] { 0, 0, 0, 8, 0x01, 0, 2, 0x00, 0, 0, 0x14, 0x00 }, status.Data); // completed, 2 segments, 5120 bytes
        Status(h, 7).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void A_truncated_copy_status_does_not_discard_it()
    {
        var h = new Harness();
        Copy(h, new XcopyList { ListId = 7 }.Target(h.Unit).Segment(0, 0, 8, 0, 100)).AssertGood();

        Assert.Equal(4, Status(h, 7, allocation: 4).Data.Length);
        Status(h, 7).AssertGood();
    }

    [Fact]
    public void Only_list_id_usage_00b_holds_the_results()
    {
        var h = new Harness();
        Copy(h, new XcopyList { ListId = 1, Usage = 2 }.Target(h.Unit).Segment(0, 0, 8, 0, 100)).AssertGood();
        Copy(h, new XcopyList { ListId = 0, Usage = 3 }.Target(h.Unit).Segment(0, 0, 8, 0, 100)).AssertGood();

        Status(h, 1).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Status(h, 0).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Results_belong_to_the_nexus_that_ran_the_copy_and_go_with_it()
    {
        var h = new Harness();
        Copy(h, new XcopyList { ListId = 5 }.Target(h.Unit).Segment(0, 0, 8, 0, 100)).AssertGood();

        Status(h, 5, Harness.NexusB).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        h.Unit.NexusLost(Harness.NexusA);
        Status(h, 5).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Failed_segment_details_hold_the_status_and_sense_of_a_failed_copy()
    {
        var h = new Harness();
        Result copy = Copy(h, new XcopyList { ListId = 9 }.Target(h.Unit).Segment(0, 4, 8, 0, 100));
        copy.AssertSense(SenseKey.CopyAborted, 0x08, 0x04);

        Result status = Status(h, 9);
        Assert.Equal(0x02, status.Data[4]); // completed with errors
        Result details = h.Run(XcopyList.ReceiveCopyResults(0x04, 9));
        details.AssertGood();
        byte[] d = details.Data;
        Assert.Equal((uint)(56 + copy.Sense.Length), BinaryPrimitives.ReadUInt32BigEndian(d));
        Assert.Equal((byte)ScsiStatus.CheckCondition, d[56]);
        Assert.Equal(copy.Sense.Length, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(58)));
        Assert.Equal(copy.Sense, d[60..]);

        // Both delivered: nothing is held any more.
        Status(h, 9).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Failed_segment_details_of_a_good_copy_are_empty()
    {
        var h = new Harness();
        Copy(h, new XcopyList { ListId = 3 }.Target(h.Unit).Segment(0, 0, 8, 0, 100)).AssertGood();

        Result details = h.Run(XcopyList.ReceiveCopyResults(0x04, 3));
        details.AssertGood();
        Assert.Equal(new byte[4], details.Data);
    }

    [Fact]
    public void Receive_data_has_nothing_held()
    {
        var h = new Harness();
        Copy(h, new XcopyList { ListId = 3 }.Target(h.Unit).Segment(0, 0, 8, 0, 100)).AssertGood();

        Result data = h.Run(XcopyList.ReceiveCopyResults(0x01, 3));
        data.AssertGood();
        Assert.Equal(new byte[4], data.Data);
    }

    [Fact]
    public void An_unsupported_service_action_is_an_invalid_cdb_field()
    {
        var h = new Harness();
        h.Run(XcopyList.ReceiveCopyResults(0x05, 0)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        byte[] lid4 = XcopyList.Cdb(0);
        lid4[1] = 0x01;
        h.Run(lid4).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task A_running_copy_reports_in_progress_and_its_list_identifier_is_refused_meanwhile()
    {
        var memory = new MemoryBackstore();
        var gated = new GatedBackstore(memory);
        var unit = new LogicalUnit(gated, Harness.Identity);
        var h = new Harness(unit, memory);
        byte[] list = new XcopyList { ListId = 4 }.Target(unit).Segment(0, 0, 8, 0, 100).Build();

        var task = new ScsiTask { Nexus = Harness.NexusA, LunMap = h.Map, CdbLength = 16, ExpectedDirection = DataDirection.Write, ExpectedDataTransferLength = (uint)list.Length };
        XcopyList.Cdb(list.Length).CopyTo(task.CdbBuffer);
        Assert.True(ScsiDispatcher.Prepare(task));
        task.Buffer = list;
        task.DataLength = list.Length;
        ValueTask running = ScsiDispatcher.ExecuteAsync(task, CancellationToken.None);
        await gated.Reached.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0x00, Status(h, 4).Data[4]); // in progress
        Copy(h, new XcopyList { ListId = 4 }.Target(unit).Segment(0, 0, 8, 0, 300)).AssertSense(SenseKey.IllegalRequest, 0x00, 0x16);
        Copy(h, new XcopyList { ListId = 4 }.Target(unit).Segment(0, 0, 0, 0, 300), Harness.NexusB).AssertGood(); // another nexus' list ids

        gated.Open();
        await running;
        Assert.Equal(ScsiStatus.Good, task.Status);
        Assert.Equal(0x01, Status(h, 4).Data[4]);
    }

    [Fact]
    public void The_third_party_copy_vpd_page_describes_the_copy_manager()
    {
        Result result = new Harness().Run(Harness.Cdb(0x12, 1, 0x8F, 0x02, 0x00, 0));

        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(0x8F, d[1]);
        Assert.Equal(d.Length - 4, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2)));
        var descriptors = new Dictionary<ushort, byte[]>();
        for (int offset = 4; offset < d.Length;)
        {
            int length = 4 + BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(offset + 2));
            Assert.Equal(0, length % 4);
            descriptors[BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(offset))] = d[offset..(offset + length)];
            offset += length;
        }

        Assert.Equal(new ushort[] { 0x0001, 0x0004, 0x0008, 0x000C, 0x8001 }, descriptors.Keys.Order().ToArray());
        Assert.Equal(new byte[] { 9, 0x83, 1, 0x00, 0x84, 4, 0x00, 0x01, 0x03, 0x04 }, descriptors[0x0001][4..14]);
        Assert.Equal(CopyLimits.MaxCscdDescriptors, BinaryPrimitives.ReadUInt16BigEndian(descriptors[0x0004].AsSpan(8)));
        Assert.Equal(new byte[] { 2, 0x02, 0xE4 }, descriptors[0x0008][4..7]);
        Assert.Equal(CopyLimits.MaxSegmentLength, BinaryPrimitives.ReadUInt32BigEndian(descriptors[0x8001].AsSpan(12)));
    }
}
