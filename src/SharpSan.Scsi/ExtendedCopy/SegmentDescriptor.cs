using System.Buffers.Binary;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// A block device to block device segment descriptor (02h, SPC-4 6.4.6.5): copy NUMBER OF BLOCKS from
/// the source CSCD at SOURCE LOGICAL BLOCK ADDRESS to the destination CSCD at DESTINATION LOGICAL BLOCK
/// ADDRESS. DC=1 counts the blocks in destination blocks, DC=0 in source blocks.
/// </summary>
/// <param name="Offset">Where the descriptor starts in the parameter list (for field pointers).</param>
internal readonly record struct SegmentDescriptor(int Offset, int SourceIndex, int DestinationIndex, bool DestinationCount,
    ushort BlockCount, ulong SourceLba, ulong DestinationLba)
{
    /// <summary>Block device to block device segment descriptor type code.</summary>
    public const byte BlockToBlock = 0x02;

    /// <summary>Its length, and the DESCRIPTOR LENGTH it carries (the bytes after byte 3).</summary>
    public const int BlockToBlockLength = 28;
    public const int BlockToBlockDescriptorLength = BlockToBlockLength - 4;

    /// <summary>Segment descriptor bytes the field pointers name.</summary>
    public const int SourceIndexByte = 4;
    public const int DestinationIndexByte = 6;
    public const int BlockCountByte = 10;
    public const int SourceLbaByte = 12;
    public const int DestinationLbaByte = 20;

    /// <summary>Decodes the block to block descriptor at <paramref name="offset"/>; false (DESCRIPTOR
    /// LENGTH in error) when it does not have the length the type code implies.</summary>
    public static bool TryParseBlockToBlock(ReadOnlySpan<byte> list, int offset, out SegmentDescriptor segment, out CopyParameterError error)
    {
        ReadOnlySpan<byte> d = list[offset..];
        segment = default;
        if (BinaryPrimitives.ReadUInt16BigEndian(d[2..]) != BlockToBlockDescriptorLength)
        {
            error = new(SenseReason.InvalidFieldInParameterList, offset + 2, -1);
            return false;
        }

        // CAT (bit 0) only matters for inexact segments, which equal block lengths never make.
        segment = new SegmentDescriptor(
            offset,
            BinaryPrimitives.ReadUInt16BigEndian(d[SourceIndexByte..]),
            BinaryPrimitives.ReadUInt16BigEndian(d[DestinationIndexByte..]),
            (d[1] & 0x02) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(d[BlockCountByte..]),
            BinaryPrimitives.ReadUInt64BigEndian(d[SourceLbaByte..]),
            BinaryPrimitives.ReadUInt64BigEndian(d[DestinationLbaByte..]));
        error = default;
        return true;
    }
}
