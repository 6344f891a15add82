using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace SharpSan.Target;

/// <summary>
/// The one writer of a connection. Every PDU the target sends goes through here under one lock, so
/// StatSN/ExpCmdSN/MaxCmdSN are stamped at send time and StatSN order equals wire order. Small PDUs
/// go through the send pipe, whose flush the receive loop may defer to answer a batch of commands
/// with one send; large reads go out as one gathered send or with sendfile.
/// </summary>
internal sealed class ConnectionWriter
{
    /// <summary>Unflushed bytes beyond which a deferred send flushes anyway, bounding what waits in memory.</summary>
    private const int DeferredFlushLimit = 256 * 1024;
    /// <summary>Reads at least this large skip the copy into the send pipe (see <see cref="SendDataInAsync"/>).</summary>
    private const int GatherThreshold = 32 * 1024;
    /// <summary>At most this many Data-In PDUs go out in one gathered send.</summary>
    private const int MaxGatherPdus = 16;
    /// <summary>Header slot in <see cref="_gatherHeaders"/>: BHS plus header digest.</summary>
    private const int GatherHeaderSlot = Bhs.Length + 4;
    private static readonly byte[] ZeroPadding = new byte[4];

    private readonly Socket _socket;
    private readonly PipeWriter _writer;
    private readonly CancellationTokenSource _cts;
    private readonly TargetOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _gatherHeaders = new byte[MaxGatherPdus * GatherHeaderSlot];
    private readonly List<ArraySegment<byte>> _gatherList = new(2 * MaxGatherPdus);
    private SendPacketsOperation? _sendPackets;
    private bool _headerDigest;
    private bool _dataDigest;
    private uint _statSN;
    private uint _loginExpCmdSN;
    private IscsiSession? _session;
    private TransferLimits? _limits;
    /// <summary>Bytes written to the pipe but not yet flushed (guarded by the write lock).</summary>
    private int _unflushedBytes;

    public ConnectionWriter(Socket socket, PipeWriter writer, CancellationTokenSource cts, TargetOptions options)
    {
        _socket = socket;
        _writer = writer;
        _cts = cts;
        _options = options;
    }

    /// <summary>A pooled BHS buffer for a typed PDU's Encode; <see cref="SendAsync"/> returns it.</summary>
    public static byte[] RentHeader() => ArrayPool<byte>.Shared.Rent(Bhs.Length);

    /// <summary>The first login request sets the numbering: the initiator's CmdSN is the expected one,
    /// and StatSN starts at its ExpStatSN (§4.2.2.1, §11.12).</summary>
    public void BeginLogin(uint cmdSN, uint expStatSN)
    {
        _loginExpCmdSN = cmdSN;
        _statSN = expStatSN;
    }

    /// <summary>Full feature phase: digests apply from the first PDU after the final login response
    /// (§13.1), and the session's command window is stamped from now on.</summary>
    public void EnterFullFeature(IscsiSession session, TransferLimits limits)
    {
        _headerDigest = session.Parameters.HeaderDigest;
        _dataDigest = session.Parameters.DataDigest;
        _limits = limits;
        _session = session;
    }

    /// <summary>
    /// Sends one PDU. <paramref name="header"/> is a complete BHS except the sequence fields, which are
    /// stamped here under the write lock so StatSN order equals wire order.
    /// </summary>
    /// With <paramref name="flush"/> false (only on the receive loop) the PDU is left in the pipe for the
    /// loop's next flush.
    public async ValueTask SendAsync(byte[] header, ReadOnlyMemory<byte> data, StatSnUse statSn, bool flush = true)
    {
        try
        {
            await _writeLock.WaitAsync(_cts.Token);
            try
            {
                Stamp(header, statSn);
                Bhs.WriteDataSegmentLength(header, data.Length);
                PduWriter.Write(_writer, header, data.Span, _headerDigest, _dataDigest);
                await FlushOrDeferAsync(Bhs.Length + data.Length, flush);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    /// <summary>Under the write lock: flushes everything written so far, or, when <paramref name="flush"/>
    /// is false and little is waiting, leaves it for <see cref="FlushDeferredAsync"/>.</summary>
    private async ValueTask FlushOrDeferAsync(int written, bool flush)
    {
        _unflushedBytes += written;
        if (_unflushedBytes == 0 || (!flush && _unflushedBytes < DeferredFlushLimit)) return;
        _unflushedBytes = 0;
        var result = await _writer.FlushAsync(_cts.Token);
        if (result.IsCompleted) throw new IOException("connection closed by peer");
    }

    /// <summary>Sends the responses the receive loop left unflushed (another sender may have done it already).</summary>
    public async ValueTask FlushDeferredAsync()
    {
        if (Volatile.Read(ref _unflushedBytes) == 0) return;
        await _writeLock.WaitAsync(_cts.Token);
        try
        {
            await FlushOrDeferAsync(0, flush: true);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Fills StatSN, ExpCmdSN and MaxCmdSN, which every target PDU carries at the same place.
    /// ERL 0 keeps no status for retransmission, so the initiator's ExpStatSN frees nothing (§4.2.2.2).</summary>
    private void Stamp(byte[] header, StatSnUse statSn)
    {
        uint statSN = statSn switch
        {
            StatSnUse.Advance => _statSN++,
            StatSnUse.Peek => _statSN,
            _ => 0,
        };
        uint exp, max;
        if (_session is { } s)
        {
            s.GetWindow(out exp, out max);
        }
        else
        {
            exp = _loginExpCmdSN;
            max = _loginExpCmdSN + (uint)_options.CommandWindow - 1;
        }
        new TargetSequenceNumbers(statSN, exp, max).WriteTo(header);
    }

    /// <summary>True when a read of <paramref name="total"/> bytes goes out as one gathered send (or
    /// sendfile): large, few enough PDUs, and no data digest (which needs the bytes in user memory).</summary>
    public bool CanGather(int total) =>
        !_dataDigest && total >= GatherThreshold && _limits!.CountDataInPdus(total, MaxGatherPdus) <= MaxGatherPdus;

    /// <summary>
    /// Data-In PDUs (§11.7) of at most the initiator's MaxRecvDataSegmentLength, F set at each
    /// MaxBurstLength boundary and on the last, S (status) and residuals on the last. Written under one
    /// hold of the write lock. Small reads go through the send pipe and are flushed once (or left for
    /// the receive loop's flush). A large read without data digest is sent straight from its buffer
    /// with one gathered send (headers and data slices as one iovec list), after flushing whatever the
    /// pipe holds: copying 128 KiB into the pipe first was a measurable share of a sequential read.
    /// </summary>
    public async ValueTask SendDataInAsync(IscsiTask task, int total, bool overflow, bool underflow, uint residual, bool flush)
    {
        var limits = _limits!;
        var data = task.RentedBuffer!;
        bool gather = CanGather(total);
        var file = task.Scsi.DataFile;
        long fileOffset = task.Scsi.DataFileOffset;
        if (file is not null && !gather)
        {
            // Too many PDUs for one operation: copy after all (a memory-backed file: cannot block or fail).
            RandomAccess.Read(file, data.AsSpan(0, total), fileOffset);
            file = null;
        }
        var header = ArrayPool<byte>.Shared.Rent(Bhs.Length);
        ulong lun = BinaryPrimitives.ReadUInt64BigEndian(task.LunBytes);
        try
        {
            await _writeLock.WaitAsync(_cts.Token);
            try
            {
                int offset = 0;
                int burstStart = 0;
                int pdu = 0;
                _gatherList.Clear();
                while (offset < total)
                {
                    int length = limits.NextDataInLength(offset, burstStart, total);
                    bool last = offset + length == total;
                    bool burstEnd = limits.EndsDataInSequence(offset, length, burstStart, total);
                    new DataInPdu
                    {
                        Final = burstEnd,
                        // The last PDU carries the status (S) and the residual (phase collapse, §11.7.4).
                        StatusPresent = last,
                        ResidualOverflow = last && overflow,
                        ResidualUnderflow = last && underflow,
                        Status = last ? (byte)task.Scsi.Status : (byte)0,
                        Lun = lun,
                        InitiatorTaskTag = task.Itt,
                        TargetTransferTag = Bhs.ReservedTag,
                        DataSN = task.NextDataInSN++,
                        BufferOffset = (uint)offset,
                        ResidualCount = last ? residual : 0,
                    }.Encode(header, length);
                    Stamp(header, last ? StatSnUse.Advance : StatSnUse.None);
                    if (gather)
                    {
                        int slot = pdu++ * GatherHeaderSlot;
                        header.AsSpan(0, Bhs.Length).CopyTo(_gatherHeaders.AsSpan(slot));
                        int headerLength = Bhs.Length;
                        if (_headerDigest)
                        {
                            BinaryPrimitives.WriteUInt32LittleEndian(_gatherHeaders.AsSpan(slot + Bhs.Length), IscsiCrc32C.Compute(header.AsSpan(0, Bhs.Length)));
                            headerLength += 4;
                        }
                        int padding = (4 - (length & 3)) & 3;
                        if (file is not null)
                        {
                            // sendfile: the data goes from the page cache to the socket without a copy here.
                            var packets = _sendPackets ??= new SendPacketsOperation(3 * MaxGatherPdus);
                            packets.Add(new SendPacketsElement(_gatherHeaders, slot, headerLength));
                            packets.Add(new SendPacketsElement(SendableFile.For(file), fileOffset + offset, length, endOfPacket: false));
                            if (padding != 0) packets.Add(new SendPacketsElement(ZeroPadding, 0, padding));
                        }
                        else
                        {
                            _gatherList.Add(new ArraySegment<byte>(_gatherHeaders, slot, headerLength));
                            _gatherList.Add(new ArraySegment<byte>(data, offset, length));
                            if (padding != 0) _gatherList.Add(new ArraySegment<byte>(ZeroPadding, 0, padding));
                        }
                    }
                    else
                    {
                        PduWriter.Write(_writer, header, data.AsSpan(offset, length), _headerDigest, _dataDigest);
                    }
                    offset += length;
                    if (burstEnd) burstStart = offset;
                }
                if (gather)
                {
                    // Whatever the pipe holds was stamped earlier, so it goes first (StatSN order = wire order).
                    await FlushOrDeferAsync(0, flush: true);
                    if (file is not null)
                    {
                        await _sendPackets!.SendAsync(_socket);
                    }
                    else
                    {
                        await _socket.SendAsync(_gatherList, SocketFlags.None);
                        _gatherList.Clear();
                    }
                }
                else
                {
                    await FlushOrDeferAsync(total, flush);
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    /// <summary>Completes the send pipe at close. The write lock is taken (within 5 s) and kept, so
    /// nothing is written after the pipe completes.</summary>
    public async ValueTask CompleteAsync()
    {
        try
        {
            await _writeLock.WaitAsync(TimeSpan.FromSeconds(5));
            await _writer.CompleteAsync();
        }
        catch (Exception)
        {
            // the socket is gone already
        }
    }

    /// <summary>Frees the sendfile operation once the socket is closed.</summary>
    public void Dispose() => _sendPackets?.Dispose();
}
