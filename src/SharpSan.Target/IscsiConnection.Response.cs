using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using SharpSan.Protocol;
using SharpSan.Scsi;

namespace SharpSan.Target;

internal sealed partial class IscsiConnection
{
    /// <summary>
    /// Sends a finished task's data and status: Data-In PDUs with the status in the last one (phase
    /// collapse, §11.7.4) when the command succeeded with data, otherwise a SCSI Response (§11.4)
    /// carrying sense data. Residuals follow §11.4.5: what the command would move vs. the initiator's
    /// Expected Data Transfer Length.
    /// </summary>
    private async ValueTask SendCompletionAsync(IscsiTask task, bool flush = true)
    {
        var scsi = task.Scsi;
        uint edtl = scsi.ExpectedDataTransferLength;
        bool good = scsi.Status == ScsiStatus.Good || scsi.Status == ScsiStatus.ConditionMet;
        bool dataIn = scsi.Direction == DataDirection.Read && good && scsi.SenseLength == 0;
        long commandLength = dataIn ? scsi.DataLength : scsi.TransferLength;
        bool overflow = false, underflow = false;
        uint residual = 0;
        if (commandLength > edtl)
        {
            overflow = true;
            residual = (uint)Math.Min(commandLength - edtl, uint.MaxValue);
        }
        else if (commandLength < edtl)
        {
            underflow = true;
            residual = (uint)(edtl - commandLength);
        }

        int toSend = dataIn ? (int)Math.Min((uint)scsi.DataLength, edtl) : 0;
        if (toSend > 0)
        {
            await SendDataInAsync(task, toSend, overflow, underflow, residual, flush);
            return;
        }

        var h = RentHeader();
        new ScsiResponsePdu
        {
            ResidualOverflow = overflow,
            ResidualUnderflow = underflow,
            Response = ScsiResponseCode.CommandCompletedAtTarget,
            Status = (byte)scsi.Status,
            InitiatorTaskTag = task.Itt,
            ResidualCount = residual,
        }.Encode(h, scsi.SenseLength == 0 ? 0 : 2 + scsi.SenseLength);
        if (scsi.SenseLength == 0)
        {
            await SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance, flush);
            return;
        }
        // §11.4.7: the data segment is SenseLength (2 bytes) followed by the sense data.
        var sense = ArrayPool<byte>.Shared.Rent(2 + scsi.SenseLength);
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(sense, (ushort)scsi.SenseLength);
            scsi.Sense.CopyTo(sense.AsSpan(2));
            await SendAsync(h, sense.AsMemory(0, 2 + scsi.SenseLength), StatSnUse.Advance, flush);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sense);
        }
    }

    /// <summary>Reads at least this large skip the copy into the send pipe (see <see cref="SendDataInAsync"/>).</summary>
    private const int GatherThreshold = 32 * 1024;
    /// <summary>At most this many Data-In PDUs go out in one gathered send.</summary>
    private const int MaxGatherPdus = 16;
    /// <summary>Header slot in <see cref="_gatherHeaders"/>: BHS plus header digest.</summary>
    private const int GatherHeaderSlot = Bhs.Length + 4;
    private static readonly byte[] ZeroPadding = new byte[4];
    private readonly byte[] _gatherHeaders = new byte[MaxGatherPdus * GatherHeaderSlot];
    private readonly List<ArraySegment<byte>> _gatherList = new(2 * MaxGatherPdus);
    private SendPacketsOperation? _sendPackets;

    /// <summary>
    /// Data-In PDUs (§11.7) of at most the initiator's MaxRecvDataSegmentLength, F set at each
    /// MaxBurstLength boundary and on the last, S (status) and residuals on the last. Written under one
    /// hold of the write lock. Small reads go through the send pipe and are flushed once (or left for
    /// the receive loop's flush). A large read without data digest is sent straight from its buffer
    /// with one gathered send (headers and data slices as one iovec list), after flushing whatever the
    /// pipe holds: copying 128 KiB into the pipe first was a measurable share of a sequential read.
    /// </summary>
    private async ValueTask SendDataInAsync(IscsiTask task, int total, bool overflow, bool underflow, uint residual, bool flush)
    {
        var p = Session!.Parameters;
        int segment = Math.Min(p.PeerMaxRecvDataSegmentLength, p.MaxBurstLength);
        var data = task.RentedBuffer!;
        bool gather = !_txDataDigest && total >= GatherThreshold && CountDataInPdus(total, segment, p.MaxBurstLength) <= MaxGatherPdus;
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
                    int length = NextDataInLength(offset, burstStart, total, segment, p.MaxBurstLength);
                    bool last = offset + length == total;
                    bool burstEnd = last || offset + length - burstStart >= p.MaxBurstLength;
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
                        if (_txHeaderDigest)
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
                        PduWriter.Write(_writer, header, data.AsSpan(offset, length), _txHeaderDigest, _txDataDigest);
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

    /// <summary>Length of the Data-In PDU at <paramref name="offset"/>: at most a segment, and never across a
    /// MaxBurstLength boundary (§13.13: a sequence is at most MaxBurstLength).</summary>
    private static int NextDataInLength(int offset, int burstStart, int total, int segment, int maxBurst) =>
        Math.Min(Math.Min(segment, total - offset), burstStart + maxBurst - offset);

    private static int CountDataInPdus(int total, int segment, int maxBurst)
    {
        int count = 0, offset = 0, burstStart = 0;
        while (offset < total && count <= MaxGatherPdus)
        {
            int length = NextDataInLength(offset, burstStart, total, segment, maxBurst);
            bool burstEnd = offset + length == total || offset + length - burstStart >= maxBurst;
            offset += length;
            if (burstEnd) burstStart = offset;
            count++;
        }
        return count;
    }
}
