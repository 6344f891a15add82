using System.Buffers.Binary;
using SharpSan.Scsi.ExtendedCopy;

namespace SharpSan.Scsi.Tests.ExtendedCopy;

/// <summary>The EXTENDED COPY(LID1) parameter list codec (SPC-4 6.4.3): each malformed list is refused
/// with the sense SPC-4 names for it and a field pointer into the list.</summary>
public class ExtendedCopyParameterListTests
{
    private static readonly byte[] Naa = [0x60, 0x01, 0x40, 0x50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    private static XcopyList OneSegment() =>
        new XcopyList().Target(0x01, 0x03, Naa).Segment(0, 0, 8, 0, 100);

    private static CopyParameterError Refuse(byte[] list)
    {
        Assert.False(ExtendedCopyParameterList.TryParse(list, out ExtendedCopyParameterList? parsed, out CopyParameterError error));
        Assert.Null(parsed);
        return error;
    }

    [Fact]
    public void A_well_formed_list_is_decoded_field_by_field()
    {
        var builder = new XcopyList { ListId = 0x42, Usage = 2 }
            .Target(0x01, 0x03, Naa, 4096)
            .Target(0x02, 0x01, "IET     00010001"u8.ToArray())
            .Segment(1, 0, 0x1234, 0x0102030405060708, 0x1112131415161718, dc: true);
        byte[] list = builder.Build();
        list[1] |= 0x05; // PRIORITY

        Assert.True(ExtendedCopyParameterList.TryParse(list, out ExtendedCopyParameterList? parsed, out _));
        Assert.Equal(0x42, parsed!.ListId);
        Assert.Equal(ListIdUsage.Discard, parsed.Usage);
        Assert.Equal(5, parsed.Priority);
        Assert.Equal(2, parsed.Cscds.Length);
        Assert.Equal(Naa, parsed.Cscds[0].Designator);
        Assert.Equal(0x03, parsed.Cscds[0].DesignatorType);
        Assert.Equal(4096u, parsed.Cscds[0].DiskBlockLength);
        Assert.Equal(16 + 32, parsed.Cscds[1].Offset);
        Assert.Equal("IET     00010001"u8.ToArray(), parsed.Cscds[1].Designator);
        SegmentDescriptor s = Assert.Single(parsed.Segments);
        Assert.Equal((16 + 64, 1, 0, true, (ushort)0x1234, 0x0102030405060708UL, 0x1112131415161718UL),
            (s.Offset, s.SourceIndex, s.DestinationIndex, s.DestinationCount, s.BlockCount, s.SourceLba, s.DestinationLba));
    }

    [Fact]
    public void The_lu_id_type_nul_bit_and_relative_port_are_ignored()
    {
        byte[] list = new XcopyList().Target(0x01, 0x03, Naa, byte1: 0xE0).Segment(0, 0, 1, 0, 1).Build();
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(16 + 2), 7);

        Assert.True(ExtendedCopyParameterList.TryParse(list, out _, out _));
    }

    [Fact]
    public void A_list_shorter_than_its_header_is_a_parameter_list_length_error()
    {
        Assert.Equal(new CopyParameterError(SenseReason.ParameterListLengthError, -1, -1), Refuse(new byte[15]));
    }

    [Theory]
    [InlineData(1)]  // truncating the CSCD descriptor, as libiscsi's ParamHdr test does
    [InlineData(29)] // truncating the segment descriptor
    public void A_list_that_truncates_its_descriptors_is_a_parameter_list_length_error(int cut)
    {
        byte[] list = OneSegment().Build();
        int length = cut == 1 ? 16 + 32 - 1 : list.Length - 1;

        Assert.Equal(SenseReason.ParameterListLengthError, Refuse(list[..length]).Reason);
    }

    [Fact]
    public void Reserved_list_id_usage_points_at_the_field()
    {
        byte[] list = OneSegment().Build();
        list[1] = 0x08; // 01b

        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 1, 4), Refuse(list));
    }

    [Fact]
    public void No_list_id_usage_needs_a_zero_list_identifier()
    {
        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 0, -1),
            Refuse(new XcopyList { ListId = 3, Usage = 3 }.Target(0x01, 0x03, Naa).Segment(0, 0, 1, 0, 1).Build()));
        Assert.True(ExtendedCopyParameterList.TryParse(
            new XcopyList { ListId = 0, Usage = 3 }.Target(0x01, 0x03, Naa).Segment(0, 0, 1, 0, 1).Build(), out _, out _));
    }

    [Fact]
    public void Descriptors_longer_than_the_maximum_descriptor_list_length_are_a_parameter_list_length_error()
    {
        // libiscsi's DescrLimits: too many CSCD descriptors and more segments than fit: the length wins.
        var builder = new XcopyList();
        for (int i = 0; i <= CopyLimits.MaxCscdDescriptors; i++) builder.Target(0x01, 0x03, Naa);
        while (builder.CscdLength + builder.SegmentLength <= CopyLimits.MaxDescriptorListLength) builder.Segment(0, 0, 1, 0, 1);

        Assert.Equal(SenseReason.ParameterListLengthError, Refuse(builder.Build()).Reason);
    }

    [Fact]
    public void One_cscd_descriptor_too_many_is_too_many_target_descriptors()
    {
        var builder = new XcopyList();
        for (int i = 0; i <= CopyLimits.MaxCscdDescriptors; i++) builder.Target(0x01, 0x03, Naa);
        builder.Segment(0, 0, 1, 0, 1);

        Assert.Equal(SenseReason.TooManyTargetDescriptors, Refuse(builder.Build()).Reason);
    }

    [Fact]
    public void One_segment_descriptor_too_many_is_too_many_segment_descriptors()
    {
        var builder = new XcopyList().Target(0x01, 0x03, Naa);
        for (int i = 0; i <= CopyLimits.MaxSegmentDescriptors; i++) builder.Segment(0, 0, 1, 0, 1);

        Assert.Equal(SenseReason.TooManySegmentDescriptors, Refuse(builder.Build()).Reason);
    }

    [Fact]
    public void The_maximum_counts_are_accepted()
    {
        var builder = new XcopyList();
        for (int i = 0; i < CopyLimits.MaxCscdDescriptors; i++) builder.Target(0x01, 0x03, Naa);
        for (int i = 0; i < CopyLimits.MaxSegmentDescriptors; i++) builder.Segment(0, 0, 1, 0, 1);

        Assert.True(ExtendedCopyParameterList.TryParse(builder.Build(), out ExtendedCopyParameterList? parsed, out _));
        Assert.Equal(CopyLimits.MaxSegmentDescriptors, parsed!.Segments.Length);
    }

    [Theory]
    [InlineData(0xE0)] // Fibre Channel N_Port_Name, as libiscsi's DescrType sends
    [InlineData(0xEA)] // IPv6 (64 bytes)
    public void A_cscd_type_other_than_identification_is_unsupported(byte typeCode)
    {
        byte[] list = new XcopyList().Target(0x01, 0x03, Naa).Target(0x01, 0x03, Naa, typeCode: typeCode).Segment(0, 0, 1, 0, 1).Build();

        Assert.Equal(new CopyParameterError(SenseReason.UnsupportedTargetDescriptorTypeCode, 16 + 32, -1), Refuse(list));
    }

    [Fact]
    public void A_segment_type_other_than_block_to_block_is_unsupported()
    {
        // libiscsi's DescrType: a stream to stream (03h) segment descriptor.
        byte[] list = new XcopyList().Target(0x01, 0x03, Naa).RawSegment(0x03, 0x10).Build();

        Assert.Equal(new CopyParameterError(SenseReason.UnsupportedSegmentDescriptorTypeCode, 16 + 32, -1), Refuse(list));
    }

    [Fact]
    public void A_block_to_block_segment_with_another_length_points_at_its_descriptor_length()
    {
        byte[] list = new XcopyList().Target(0x01, 0x03, Naa).RawSegment(0x02, 0x1C).Build();

        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 16 + 32 + 2, -1), Refuse(list));
    }

    [Fact]
    public void A_segment_descriptor_running_past_its_list_points_at_the_list_length()
    {
        byte[] list = OneSegment().Build();
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(8), 20); // cuts the 28-byte descriptor

        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 8, -1), Refuse(list));
    }

    [Fact]
    public void A_cscd_list_length_that_cuts_a_descriptor_points_at_the_list_length()
    {
        byte[] list = OneSegment().Build();
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), 40);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(8), 28 - 8);

        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 2, -1), Refuse(list));
    }

    [Fact]
    public void Inline_data_is_refused_since_no_segment_type_uses_it()
    {
        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 12, -1),
            Refuse(new XcopyList { InlineLength = 4 }.Target(0x01, 0x03, Naa).Segment(0, 0, 1, 0, 1).Build()));
    }

    [Fact]
    public void Identification_descriptor_fields_are_checked()
    {
        byte[] tape = new XcopyList().Target(0x01, 0x03, Naa, byte1: 0x01).Segment(0, 0, 1, 0, 1).Build();
        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 17, 4), Refuse(tape));

        byte[] port = new XcopyList().Target(0x01, 0x13, Naa).Segment(0, 0, 1, 0, 1).Build();
        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 21, 5), Refuse(port));

        byte[] longName = new XcopyList().Target(0x02, 0x01, new byte[21]).Segment(0, 0, 1, 0, 1).Build();
        Assert.Equal(new CopyParameterError(SenseReason.InvalidFieldInParameterList, 23, -1), Refuse(longName));
    }
}
