namespace SharpSan.Initiator;

/// <summary>One SCSI command for <see cref="IscsiSession.ExecuteAsync"/>: LUN, CDB (up to 16 bytes),
/// direction and data buffer. For reads the buffer receives data; for writes it is sent.</summary>
public sealed class ScsiCommand
{
    public ScsiCommand(ulong lun, ReadOnlyMemory<byte> cdb, ScsiDataDirection direction, Memory<byte> buffer, int? expectedLength = null)
    {
        if (cdb.Length is 0 or > 16) throw new ArgumentException("a CDB is 1-16 bytes (additional CDB AHS is not supported)", nameof(cdb));
        int length = expectedLength ?? buffer.Length;
        if (length < 0 || length > buffer.Length) throw new ArgumentOutOfRangeException(nameof(expectedLength), "the expected length must fit in the buffer");
        if (direction == ScsiDataDirection.None && length != 0) throw new ArgumentException("a command without data has an expected length of 0", nameof(expectedLength));
        Lun = lun;
        Cdb = cdb;
        Direction = direction;
        Buffer = buffer;
        ExpectedLength = length;
    }

    /// <summary>A command without data.</summary>
    public static ScsiCommand NoData(ulong lun, ReadOnlyMemory<byte> cdb) => new(lun, cdb, ScsiDataDirection.None, Memory<byte>.Empty);
    public static ScsiCommand Read(ulong lun, ReadOnlyMemory<byte> cdb, Memory<byte> buffer) => new(lun, cdb, ScsiDataDirection.Read, buffer);
    public static ScsiCommand Write(ulong lun, ReadOnlyMemory<byte> cdb, ReadOnlyMemory<byte> data)
        => new(lun, cdb, ScsiDataDirection.Write, System.Runtime.InteropServices.MemoryMarshal.AsMemory(data));

    public ulong Lun { get; }
    public ReadOnlyMemory<byte> Cdb { get; }
    public ScsiDataDirection Direction { get; }
    public Memory<byte> Buffer { get; }
    /// <summary>Expected Data Transfer Length (§11.3.4).</summary>
    public int ExpectedLength { get; }
    /// <summary>The Initiator Task Tag while the command is in flight (for <see cref="IscsiSession.AbortTaskAsync"/>).</summary>
    public uint InitiatorTaskTag { get; internal set; } = 0xFFFFFFFF;
}
