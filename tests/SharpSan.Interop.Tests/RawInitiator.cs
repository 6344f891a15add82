using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using SharpSan.Protocol;

namespace SharpSan.Interop.Tests;

/// <summary>One received PDU, copied out of the stream.</summary>
internal sealed record RawPdu(byte[] Header, byte[] Data)
{
    public Opcode Opcode => (Opcode)(Header[0] & 0x3F);
    public byte Flags => Header[1];
    public uint Itt => new Bhs(Header).InitiatorTaskTag;
    /// <summary>StatSN, which every target PDU carries in the same place.</summary>
    public uint StatSN => TargetSequenceNumbers.Read(Header).StatSN;
}

/// <summary>
/// A deliberately small iSCSI initiator for tests that need control libiscsi does not give: data
/// digests, hand-made faults (bad digests, oversize segments), exact PDU sequences. Blocking, one
/// command at a time, socket timeouts on every read.
/// </summary>
internal sealed class RawInitiator : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _rx = new byte[1 << 20];
    private int _rxCount;
    private uint _cmdSN = 1;
    private uint _expStatSN;
    private uint _itt = 0x100;

    public RawInitiator(int port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.ReceiveTimeout = 30000;
        _socket.SendTimeout = 30000;
        _socket.Connect("127.0.0.1", port);
        _stream = new NetworkStream(_socket, ownsSocket: true);
    }

    public bool HeaderDigest { get; private set; }
    public bool DataDigest { get; private set; }
    public Dictionary<string, string> Negotiated { get; } = new();

    /// <summary>Logs in straight to full feature phase (no security stage) and returns the login status.</summary>
    public ushort Login(string initiator, string target, bool digests, int firstBurst = 65536, int maxBurst = 131072)
    {
        var keys = new List<KeyValuePair<string, string>>
        {
            new("InitiatorName", initiator),
            new("TargetName", target),
            new("SessionType", "Normal"),
            new("HeaderDigest", digests ? "CRC32C" : "None"),
            new("DataDigest", digests ? "CRC32C" : "None"),
            new("MaxRecvDataSegmentLength", "65536"),
            new("InitialR2T", "No"),
            new("ImmediateData", "Yes"),
            new("FirstBurstLength", firstBurst.ToString()),
            new("MaxBurstLength", maxBurst.ToString()),
            new("MaxOutstandingR2T", "4"),
            new("ErrorRecoveryLevel", "0"),
        };
        var h = new byte[48];
        var data = TextKeyValues.Encode(keys);
        new LoginRequestPdu
        {
            Transit = true, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase,
            Isid = 0x800000001234, Tsih = 0, InitiatorTaskTag = _itt++, CmdSN = _cmdSN, ExpStatSN = 0,
        }.Encode(h, data.Length);
        Send(h, data, false, false);
        var rsp = Receive(false, false);
        if (rsp.Opcode != Opcode.LoginResponse) throw new InvalidOperationException($"expected a login response, got {rsp.Opcode}");
        var login = LoginResponsePdu.Decode(rsp.Header);
        ushort status = (ushort)login.Status;
        _expStatSN = login.StatSN + 1;
        foreach (var (k, v) in TextKeyValues.Parse(rsp.Data)) Negotiated[k] = v;
        if (status == 0 && !login.Transit) throw new InvalidOperationException("target did not transit to full feature phase");
        HeaderDigest = Negotiated.GetValueOrDefault("HeaderDigest") == "CRC32C";
        DataDigest = Negotiated.GetValueOrDefault("DataDigest") == "CRC32C";
        return status;
    }

    public void Send(byte[] header, ReadOnlySpan<byte> data, bool hd, bool dd)
    {
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, header, data, hd, dd);
        _stream.Write(w.WrittenSpan);
    }

    /// <summary>Sends raw bytes as they are (for malformed-PDU tests).</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public RawPdu Receive() => Receive(HeaderDigest, DataDigest);

    private RawPdu Receive(bool hd, bool dd)
    {
        while (true)
        {
            var seq = new ReadOnlySequence<byte>(_rx, 0, _rxCount);
            if (PduReader.TryRead(seq, new PduLimits(1 << 24, hd, dd), out var frame, out var ok))
            {
                if (!ok) throw new InvalidDataException("bad data digest from the target");
                var pdu = new RawPdu(frame.Header.ToArray(), frame.Data.ToArray());
                int consumed = (int)seq.Slice(0, frame.End).Length;
                Buffer.BlockCopy(_rx, consumed, _rx, 0, _rxCount - consumed);
                _rxCount -= consumed;
                return pdu;
            }
            if (_rxCount == _rx.Length) Array.Resize(ref _rx, _rx.Length * 2);
            int n = _stream.Read(_rx, _rxCount, _rx.Length - _rxCount);
            if (n == 0) throw new EndOfStreamException("target closed the connection");
            _rxCount += n;
        }
    }

    /// <summary>True when the target closes the connection (reads end) within the socket timeout.</summary>
    public bool WaitForClose()
    {
        try
        {
            while (true) Receive();
        }
        catch (EndOfStreamException)
        {
            return true;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public byte[] CommandHeader(ReadOnlySpan<byte> cdb, uint edtl, bool read, bool write, bool final, int immediateLength, ulong lun = 0)
    {
        var h = new byte[48];
        new ScsiCommandPdu
        {
            Final = final, Read = read, Write = write, Attribute = ScsiTaskAttribute.Simple, Lun = lun << 48,
            InitiatorTaskTag = _itt++, ExpectedDataTransferLength = edtl, CmdSN = _cmdSN++, ExpStatSN = _expStatSN, Cdb = cdb,
        }.Encode(h, immediateLength);
        return h;
    }

    public static byte[] Cdb10(byte opcode, uint lba, ushort blocks, byte flags = 0)
    {
        var c = new byte[10];
        c[0] = opcode;
        c[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(c.AsSpan(7), blocks);
        return c;
    }

    /// <summary>WRITE(10) with immediate data up to FirstBurstLength, unsolicited Data-Out to the end of
    /// the first burst, and Data-Out answering every R2T. <paramref name="corrupt"/> flips a byte in the
    /// digest of the first solicited Data-Out. Returns the SCSI status and sense key, or the Reject.</summary>
    public RawPdu Write10(uint lba, byte[] data, int blockSize = 512, bool corruptSolicitedDigest = false)
    {
        int firstBurst = int.Parse(Negotiated.GetValueOrDefault("FirstBurstLength", "65536"));
        int mrdsl = 65536; // the target declared at least this much
        if (Negotiated.TryGetValue("MaxRecvDataSegmentLength", out var m)) mrdsl = Math.Min(mrdsl, int.Parse(m));
        int immediate = Math.Min(Math.Min(firstBurst, mrdsl), data.Length);
        // InitialR2T=Yes (§13.10): nothing beyond immediate data goes unsolicited.
        int unsolicitedEnd = Negotiated.GetValueOrDefault("InitialR2T") == "Yes" ? immediate : Math.Min(firstBurst, data.Length);
        var h = CommandHeader(Cdb10(0x2A, lba, (ushort)(data.Length / blockSize)), (uint)data.Length, false, true, final: immediate == unsolicitedEnd, immediate);
        uint itt = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(16));
        Send(h, data.AsSpan(0, immediate), HeaderDigest, DataDigest);
        uint dataSN = 0;
        for (int off = immediate; off < unsolicitedEnd;)
        {
            int len = Math.Min(mrdsl, unsolicitedEnd - off);
            SendDataOut(itt, 0xFFFFFFFF, dataSN++, off, data.AsSpan(off, len), off + len == unsolicitedEnd, false);
            off += len;
        }
        bool corrupted = false;
        while (true)
        {
            var pdu = Receive();
            if (pdu.Opcode != Opcode.ReadyToTransfer) return pdu;
            var r2t = R2tPdu.Decode(pdu.Header);
            uint ttt = r2t.TargetTransferTag, offset = r2t.BufferOffset, length = r2t.DesiredDataTransferLength;
            uint sn = 0;
            for (uint done = 0; done < length;)
            {
                int len = (int)Math.Min((uint)mrdsl, length - done);
                bool corrupt = corruptSolicitedDigest && !corrupted;
                corrupted |= corrupt;
                SendDataOut(itt, ttt, sn++, (int)(offset + done), data.AsSpan((int)(offset + done), len), done + (uint)len == length, corrupt);
                done += (uint)len;
            }
        }
    }

    private void SendDataOut(uint itt, uint ttt, uint dataSN, int offset, ReadOnlySpan<byte> data, bool final, bool corruptDigest)
    {
        var h = new byte[48];
        new DataOutPdu { Final = final, InitiatorTaskTag = itt, TargetTransferTag = ttt, ExpStatSN = _expStatSN, DataSN = dataSN, BufferOffset = (uint)offset }
            .Encode(h, data.Length);
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, h, data, HeaderDigest, DataDigest);
        var bytes = w.WrittenSpan.ToArray();
        if (corruptDigest) bytes[^1] ^= 0xFF;
        _stream.Write(bytes);
    }

    /// <summary>READ(10); returns the data gathered from Data-In and the final PDU (Data-In with status
    /// or SCSI Response).</summary>
    public (byte[] Data, RawPdu Final) Read10(uint lba, int bytes, int blockSize = 512, ulong lun = 0)
    {
        var h = CommandHeader(Cdb10(0x28, lba, (ushort)(bytes / blockSize)), (uint)bytes, true, false, true, 0, lun);
        Send(h, ReadOnlySpan<byte>.Empty, HeaderDigest, DataDigest);
        var result = new byte[bytes];
        while (true)
        {
            var pdu = Receive();
            if (pdu.Opcode == Opcode.DataIn)
            {
                var dataIn = DataInPdu.Decode(pdu.Header);
                pdu.Data.CopyTo(result, (int)dataIn.BufferOffset);
                if (dataIn.StatusPresent)
                {
                    _expStatSN = dataIn.StatSN + 1;
                    return (result, pdu);
                }
                continue;
            }
            _expStatSN = pdu.StatSN + 1;
            return (result, pdu);
        }
    }

    /// <summary>Any command with its data (immediate, up to what the CDB needs), gathering Data-In.</summary>
    public (byte[] Data, RawPdu Final) Execute(byte[] cdb, uint edtl, bool read, bool write, byte[]? dataOut = null, ulong lun = 0)
    {
        int immediate = write ? Math.Min(dataOut?.Length ?? 0, (int)edtl) : 0;
        var h = CommandHeader(cdb, edtl, read, write, true, immediate, lun);
        Send(h, write ? dataOut.AsSpan(0, immediate) : ReadOnlySpan<byte>.Empty, HeaderDigest, DataDigest);
        var result = new byte[read ? edtl : 0];
        while (true)
        {
            var pdu = Receive();
            if (pdu.Opcode == Opcode.DataIn)
            {
                var dataIn = DataInPdu.Decode(pdu.Header);
                pdu.Data.CopyTo(result, (int)dataIn.BufferOffset);
                if (!dataIn.StatusPresent) continue;
            }
            _expStatSN = pdu.StatSN + 1;
            return (result, pdu);
        }
    }

    public RawPdu NopOut(byte[] ping)
    {
        var h = new byte[48];
        new NopOutPdu { Immediate = true, InitiatorTaskTag = _itt++, TargetTransferTag = Bhs.ReservedTag, CmdSN = _cmdSN, ExpStatSN = _expStatSN }
            .Encode(h, ping.Length);
        Send(h, ping, HeaderDigest, DataDigest);
        return Receive();
    }

    public void Dispose() => _stream.Dispose();
}
