using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>
/// LIO "fileio": a regular file. Created sparse at <c>size</c> when absent; an existing file is used
/// at its own length when <c>size</c> is 0, and extended sparsely when shorter than <c>size</c>.
/// </summary>
public sealed class FileIoBackstore : FileHandleBackstore
{

    public FileIoBackstore(string name, string path, ulong size, int blockSize, bool writeBack, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        BlockGeometry.ValidateFileBlockSize(blockSize);
        string what = $"fileio backstore '{name}' ({path})";
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{what}: the path is a directory, not a file.", nameof(path));
        }

        bool exists = File.Exists(path);
        if (!exists)
        {
            if (readOnly)
            {
                throw new FileNotFoundException($"{what}: the file does not exist and a read-only backstore cannot create it.", path);
            }

            if (size == 0)
            {
                throw new ArgumentException($"{what}: the file does not exist, so a size is required to create it.", nameof(size));
            }

            // targetcli users trip over a missing folder; creating it is what they meant.
            string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (directory is not null && !Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        ulong length = exists ? (ulong)new FileInfo(path).Length : 0;
        ulong effective = size == 0 ? length : size;
        BlockCount = BlockGeometry.BlockCount(effective, blockSize, what);

        if (!exists || length < effective)
        {
            if (readOnly)
            {
                throw new ArgumentException($"{what}: the file is {length} bytes, smaller than the requested {effective}, and a read-only backstore cannot extend it.", nameof(size));
            }

            // SetLength on a new or shorter file leaves a hole: the file stays sparse.
            using var handle = File.OpenHandle(path, exists ? FileMode.Open : FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.SetLength(handle, checked((long)effective));
        }

        Name = name;
        Path = path;
        BlockSize = blockSize;
        WriteCacheEnabled = writeBack;
        ReadOnly = readOnly;
        Io = new FileHandleIo(path, blockSize, writeBack, readOnly);
    }

    public string Path { get; }
    public override string Plugin => "fileio";
}
