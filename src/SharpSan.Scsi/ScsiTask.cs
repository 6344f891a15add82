namespace SharpSan.Scsi;

/// <summary>
/// One SCSI command as the engine sees it, independent of the transport (SAM-5 "task").
/// The fabric fills the request half, calls <see cref="ScsiDispatcher.Prepare"/>, moves data into or
/// out of <see cref="Buffer"/>, calls <see cref="ScsiDispatcher.ExecuteAsync"/>, and sends back
/// <see cref="Status"/>, <see cref="Sense"/> and the data. Instances are reused by the fabric
/// (see <see cref="Reset"/>) so the I/O path does not allocate.
/// </summary>
public sealed class ScsiTask
{
    /// <summary>The longest CDB (SPC-4 4.2.3: a variable length CDB is at most 260 bytes). Every task
    /// carries a buffer this size, allocated once with the pooled task, so a long CDB costs no allocation
    /// and an ordinary one no more than a 16-byte copy.</summary>
    public const int MaxCdbLength = 260;
    public const int MaxSenseLength = 252;

    private readonly byte[] _cdb = new byte[MaxCdbLength];
    private readonly byte[] _sense = new byte[MaxSenseLength];

    // ---- request (filled by the fabric) ----

    public ItNexus Nexus { get; set; } = null!;
    public ILunMap LunMap { get; set; } = null!;

    /// <summary>The LUN decoded from the 8-byte SAM LUN field (single-level flat or peripheral addressing).</summary>
    public ulong Lun { get; set; }

    /// <summary>The whole CDB buffer (<see cref="MaxCdbLength"/> bytes); <see cref="CdbLength"/> bytes are
    /// meaningful: the length the opcode's group implies for a CDB of up to 16 bytes, every byte the
    /// transport delivered for a longer one (iSCSI: the BHS and the Extended CDB AHS).</summary>
    public Span<byte> CdbBuffer => _cdb;
    public int CdbLength { get; set; }
    public ReadOnlySpan<byte> Cdb => _cdb.AsSpan(0, CdbLength);

    public TaskAttribute Attribute { get; set; } = TaskAttribute.Simple;

    /// <summary>Signalled by the fabric when it aborts the task (task management, loss of the
    /// connection): a command that waits for a long operation of the logical unit (SANITIZE with
    /// IMMED=0) stops waiting, so the abort completes, and the operation carries on (SBC-3 4.11).
    /// Ordinary commands do not look at it.</summary>
    public CancellationToken AbortToken { get; set; }

    /// <summary>Milliseconds to hold the command before it runs: LIO's nonop_delay_msecs for a command
    /// that came through an active/non-optimized target port (set by Prepare; 0 almost always).</summary>
    public int AccessDelayMs { get; internal set; }

    /// <summary>What the initiator said it will move (iSCSI Expected Data Transfer Length).</summary>
    public uint ExpectedDataTransferLength { get; set; }

    /// <summary>The direction the initiator announced (iSCSI R/W bits).</summary>
    public DataDirection ExpectedDirection { get; set; }

    // ---- set by Prepare ----

    /// <summary>The LU the task addresses (default when the LUN is not mapped).</summary>
    public LunEntry Entry { get; set; }

    /// <summary>The direction the CDB implies.</summary>
    public DataDirection Direction { get; set; }

    /// <summary>Bytes the CDB asks to transfer (allocation length for Data-In commands, the parameter list
    /// or blocks * block size for Data-Out). The fabric compares this with the expected length to compute
    /// residuals (RFC 7143 11.4.5).</summary>
    public int TransferLength { get; set; }

    // ---- data ----

    /// <summary>Data buffer, owned by the fabric (pooled). For Data-Out commands the fabric places
    /// <see cref="DataLength"/> received bytes at offset 0; for Data-In commands the engine writes its
    /// data at offset 0 and sets <see cref="DataLength"/>. Must be at least TransferLength bytes.</summary>
    public byte[]? Buffer { get; set; }
    public int DataLength { get; set; }

    /// <summary>Set by the fabric: it can send a READ's data straight from a file
    /// (<see cref="DataFile"/>, e.g. with sendfile) instead of from <see cref="Buffer"/>.</summary>
    public bool AcceptsDataFile { get; set; }

    /// <summary>Set when a READ left its <see cref="DataLength"/> bytes in this file at
    /// <see cref="DataFileOffset"/> rather than copying them into <see cref="Buffer"/>: the backstore
    /// guaranteed that reading them can neither block nor fail (see
    /// <see cref="IBackstore.TryGetZeroCopyRange"/>).</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle? DataFile { get; internal set; }
    public long DataFileOffset { get; internal set; }

    // ---- result ----

    public ScsiStatus Status { get; set; }
    public Span<byte> SenseBuffer => _sense;
    public int SenseLength { get; set; }
    public ReadOnlySpan<byte> Sense => _sense.AsSpan(0, SenseLength);

    /// <summary>Engine-private parse results (so Execute does not re-parse the CDB).</summary>
    internal ulong Lba;
    internal uint BlockCount;
    internal int Flags;

    /// <summary>The command table entry Prepare resolved (null until then, or when Prepare failed early).</summary>
    internal CommandDescriptor? Command;

    private bool UseDescriptorSense => Entry.Unit is { } unit && unit.DescriptorSense;

    /// <summary>Terminates the task with CHECK CONDITION for <paramref name="reason"/> (SPC-4 4.5): the
    /// one way anything, the engine or a fabric's own transport failure, reports a SCSI error.
    /// Descriptor format is used when the addressed LU has D_SENSE set in its control mode page.</summary>
    /// <param name="fieldByte">CDB (or parameter list) byte in error for the field pointer; -1 for none.</param>
    /// <param name="fieldBit">Bit in that byte, -1 when the whole byte is meant.</param>
    public void Fail(SenseReason reason, int fieldByte = SenseData.NoField, int fieldBit = -1, bool inCdb = true, ulong? information = null)
    {
        SenseTable.Lookup(reason, out SenseKey key, out byte asc, out byte ascq);
        Status = ScsiStatus.CheckCondition;
        SenseLength = SenseData.Build(_sense, UseDescriptorSense, key, asc, ascq, fieldByte, fieldBit, inCdb, information);
    }

    /// <summary>Terminates the task with CHECK CONDITION / UNIT ATTENTION and the given ASC/ASCQ (SAM-5 5.14).</summary>
    internal void FailUnitAttention(byte asc, byte ascq)
    {
        Status = ScsiStatus.CheckCondition;
        SenseLength = SenseData.Build(_sense, UseDescriptorSense, SenseKey.UnitAttention, asc, ascq, SenseData.NoField, -1, true, null);
    }

    /// <summary>Clears every field so the instance can carry the next command.</summary>
    public void Reset()
    {
        Nexus = null!;
        LunMap = null!;
        Lun = 0;
        CdbLength = 0;
        Attribute = TaskAttribute.Simple;
        AbortToken = default;
        AccessDelayMs = 0;
        ExpectedDataTransferLength = 0;
        ExpectedDirection = DataDirection.None;
        Entry = default;
        Direction = DataDirection.None;
        TransferLength = 0;
        Buffer = null;
        DataLength = 0;
        AcceptsDataFile = false;
        DataFile = null;
        DataFileOffset = 0;
        Status = ScsiStatus.Good;
        SenseLength = 0;
        Lba = 0;
        BlockCount = 0;
        Flags = 0;
        Command = null;
    }
}
