namespace SharpSan.Backstores;

/// <summary>Validation shared by every backstore: block size and size/block-size consistency.</summary>
internal static class BlockGeometry
{
    /// <summary>The block sizes of disks: 512 and 4096.</summary>
    public static void ValidateBlockSize(int blockSize)
    {
        if (blockSize != 512 && blockSize != 4096)
        {
            throw new ArgumentException($"Block size {blockSize} is not supported; use 512 or 4096.", nameof(blockSize));
        }
    }

    /// <summary>A file or device may also be a CD/DVD image: 2048-byte blocks (MMC-6: the user data
    /// of a sector), served read-only as the medium of a cd.</summary>
    public static void ValidateFileBlockSize(int blockSize)
    {
        if (blockSize is not (512 or 2048 or 4096))
        {
            throw new ArgumentException($"Block size {blockSize} is not supported; use 512 or 4096 (2048 for a cd image).", nameof(blockSize));
        }
    }

    /// <summary>Refuses a size that is zero or not a whole number of blocks (no silent truncation).</summary>
    public static ulong BlockCount(ulong size, int blockSize, string what)
    {
        if (size == 0)
        {
            throw new ArgumentException($"{what}: size must be greater than 0.", nameof(size));
        }

        if (size % (ulong)blockSize != 0)
        {
            throw new ArgumentException(
                $"{what}: size {size} is not a multiple of the block size {blockSize} " +
                $"(nearest valid sizes: {size - (size % (ulong)blockSize)} or {size - (size % (ulong)blockSize) + (ulong)blockSize}).",
                nameof(size));
        }

        return size / (ulong)blockSize;
    }
}
