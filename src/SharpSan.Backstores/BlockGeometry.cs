namespace SharpSan.Backstores;

/// <summary>Validation shared by every backstore: block size and size/block-size consistency.</summary>
internal static class BlockGeometry
{
    public static void ValidateBlockSize(int blockSize)
    {
        if (blockSize != 512 && blockSize != 4096)
        {
            throw new ArgumentException($"Block size {blockSize} is not supported; use 512 or 4096.", nameof(blockSize));
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
