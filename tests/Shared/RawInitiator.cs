using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using SharpSan.Protocol;

namespace SharpSan.Testing;

/// <summary>
/// The tests' one raw iSCSI initiator, for what a real initiator does not let a test do: explicit login
/// steps (security and operational stages, CHAP), exact PDU sequences, hand-made faults (bad digests,
/// oversize segments, raw bytes), digests on or off. Built on the typed PDUs of
/// src/SharpSan.Protocol/Pdus. Blocking, one command at a time, a socket timeout on every read.
/// SharpSan.Target.Tests drives the target in-process with it; SharpSan.Interop.Tests drives sharpsand.
/// </summary>
public class RawInitiator : IDisposable
{
    public const string DefaultInitiator = "iqn.2025-01.org.sharpsan.test:init1";

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _rx = new byte[1 << 20];
    private int _rxCount;

    public RawInitiator(int port, string host = "127.0.0.1", int receiveTimeoutMs = 30000)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.ReceiveTimeout = receiveTimeoutMs;
        _socket.SendTimeout = 30000;
        _socket.Connect(host, port);
        _stream = new NetworkStream(_socket, ownsSocket: true);
    }

    private static int s_sessions;

    /// <summary>A new ISID per instance (type 10b, random): each raw session is its own I_T nexus, so a
    /// connection a test drops without logout never hands the next test's session I_T NEXUS LOSS
    /// OCCURRED (SAM-5 6.3.4). Tests of reinstatement set the same ISID on both sessions.</summary>
    public ulong Isid { get; set; } = 0x800000000000UL | ((ulong)Environment.ProcessId << 24 & 0x3FFF000000UL) | (uint)Interlocked.Increment(ref s_sessions) & 0xFFFFFF;
    public ushort Cid { get; set; }
    public ushort Tsih { get; private set; }
    public uint CmdSN { get; set; } = 1;
    public uint ExpStatSN { get; set; }
    public uint NextItt { get; set; } = 0x100;
    public uint LoginItt { get; private set; }
    public bool HeaderDigest { get; set; }
    public bool DataDigest { get; set; }
    public Dictionary<string, string> Negotiated { get; } = new(StringComparer.Ordinal);

    public int ReceiveTimeoutMs
    {
        get => _socket.ReceiveTimeout;
        set => _socket.ReceiveTimeout = value;
    }

    public static List<KeyValuePair<string, string>> Kv(params string[] pairs)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var p in pairs)
        {
            int eq = p.IndexOf('=');
            list.Add(new(p[..eq], p[(eq + 1)..]));
        }
        return list;
    }

    // ---------------------------------------------------------------- login

    /// <summary>Sends one Login Request and returns the response. ITT is fixed for the whole login.</summary>
    public RawPdu LoginStep(IEnumerable<KeyValuePair<string, string>> keys, int csg, int nsg, bool transit,
        bool cont = false, ushort tsih = 0, byte versionMax = 0, byte versionMin = 0)
        => LoginStepRaw(TextKeyValues.Encode(keys), csg, nsg, transit, cont, tsih, versionMax, versionMin);

    public RawPdu LoginStepRaw(byte[] data, int csg, int nsg, bool transit, bool cont = false, ushort tsih = 0,
        byte versionMax = 0, byte versionMin = 0)
    {
        if (LoginItt == 0) LoginItt = NextItt++;
        SendLoginRequest(data, csg, nsg, transit, cont, tsih, versionMax, versionMin);
        var rsp = Receive(false, false);
        if (rsp.Opcode != Opcode.LoginResponse) throw new InvalidOperationException($"expected a login response, got {rsp}");
        ExpStatSN = rsp.StatSN + 1;
        if (rsp.LoginStatus == 0 && rsp.DataSegmentLength > 0)
            foreach (var (k, v) in rsp.KeyList) Negotiated[k] = v;
        if (rsp.LoginStatus == 0 && rsp.Transit && rsp.NextStage == 3)
        {
            Tsih = rsp.Tsih;
            HeaderDigest = Negotiated.GetValueOrDefault("HeaderDigest") == "CRC32C";
            DataDigest = Negotiated.GetValueOrDefault("DataDigest") == "CRC32C";
        }
        return rsp;
    }

    public void SendLoginRequest(byte[] data, int csg, int nsg, bool transit, bool cont = false, ushort tsih = 0,
        byte versionMax = 0, byte versionMin = 0)
    {
        if (LoginItt == 0) LoginItt = NextItt++;
        var h = new byte[48];
        new LoginRequestPdu
        {
            Transit = transit,
            Continue = cont,
            CurrentStage = (LoginStage)csg,
            NextStage = transit ? (LoginStage)nsg : 0,
            VersionMax = versionMax,
            VersionMin = versionMin,
            Isid = Isid,
            Tsih = tsih,
            InitiatorTaskTag = LoginItt,
            Cid = Cid,
            Sequence = new(CmdSN, ExpStatSN),
        }.Encode(h, data.Length);
        Send(h, data, false, false);
    }

    public static List<KeyValuePair<string, string>> NormalKeys(string target, string initiator = DefaultInitiator, params string[] extra)
    {
        var keys = Kv($"InitiatorName={initiator}", $"TargetName={target}", "SessionType=Normal");
        keys.AddRange(Kv(extra));
        return keys;
    }

    /// <summary>Operational keys the way open-iscsi offers them (without digests).</summary>
    public static string[] StandardOperational(int firstBurst = 65536, int maxBurst = 262144, string initialR2T = "No",
        string immediateData = "Yes", int maxOutstandingR2T = 4, int mrdsl = 262144) => new[]
    {
        "HeaderDigest=None", "DataDigest=None",
        $"MaxRecvDataSegmentLength={mrdsl}", $"InitialR2T={initialR2T}", $"ImmediateData={immediateData}",
        $"FirstBurstLength={firstBurst}", $"MaxBurstLength={maxBurst}", $"MaxOutstandingR2T={maxOutstandingR2T}",
        "ErrorRecoveryLevel=0", "DefaultTime2Wait=2", "DefaultTime2Retain=0", "MaxConnections=1",
        "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes",
    };

    /// <summary>Single-PDU login straight from the operational stage to full feature phase.</summary>
    public RawPdu LoginNormal(string target, string initiator = DefaultInitiator, params string[] operational)
    {
        if (operational.Length == 0) operational = StandardOperational();
        return LoginStep(NormalKeys(target, initiator, operational), 1, 3, true);
    }

    public RawPdu LoginDiscovery(string initiator = DefaultInitiator, params string[] operational)
    {
        var keys = Kv($"InitiatorName={initiator}", "SessionType=Discovery");
        keys.AddRange(Kv(operational.Length == 0 ? new[] { "HeaderDigest=None", "DataDigest=None", "MaxRecvDataSegmentLength=65536" } : operational));
        return LoginStep(keys, 1, 3, true);
    }

    /// <summary>
    /// Logs in straight to full feature phase (no security stage), with both digests CRC32C or None
    /// and open-iscsi-like operational keys; returns the login status (0 = success).
    /// </summary>
    public ushort Login(string initiator, string target, bool digests, int firstBurst = 65536, int maxBurst = 131072)
    {
        string digest = digests ? "CRC32C" : "None";
        var rsp = LoginNormal(target, initiator,
            $"HeaderDigest={digest}", $"DataDigest={digest}", "MaxRecvDataSegmentLength=65536", "InitialR2T=No", "ImmediateData=Yes",
            $"FirstBurstLength={firstBurst}", $"MaxBurstLength={maxBurst}", "MaxOutstandingR2T=4", "ErrorRecoveryLevel=0");
        if (rsp.LoginStatus == 0 && !rsp.Transit) throw new InvalidOperationException("target did not transit to full feature phase");
        return rsp.LoginStatus;
    }

    /// <summary>
    /// Security stage with CHAP (optionally mutual), then the operational stage. Returns the final
    /// response, or the first failing one. <paramref name="mutualOk"/> reports whether the target's
    /// CHAP_R matched <paramref name="mutualSecret"/>.
    /// </summary>
    public RawPdu LoginChap(string target, string user, string secret, string chapA = "5", string initiator = DefaultInitiator,
        string? mutualSecret = null, Action<string>? onTargetChapName = null, Action<bool>? mutualOk = null)
    {
        var r1 = LoginStep(NormalKeys(target, initiator, "AuthMethod=CHAP,None"), 0, 1, false);
        if (r1.LoginStatus != 0) return r1;
        if (r1.Keys.GetValueOrDefault("AuthMethod") != "CHAP") throw new InvalidOperationException($"target chose AuthMethod={r1.Keys.GetValueOrDefault("AuthMethod")}");
        var r2 = LoginStep(Kv($"CHAP_A={chapA}"), 0, 1, false);
        if (r2.LoginStatus != 0) return r2;
        var k2 = r2.Keys;
        var alg = (ChapAlgorithm)int.Parse(k2["CHAP_A"]);
        byte id = byte.Parse(k2["CHAP_I"]);
        Assert.True(Chap.TryDecodeBinary(k2["CHAP_C"], out var challenge));
        var response = Chap.ComputeResponse(alg, id, Encoding.UTF8.GetBytes(secret), challenge);
        var keys = Kv($"CHAP_N={user}", $"CHAP_R={Chap.EncodeHex(response)}");
        byte myId = 0x42;
        var myChallenge = Enumerable.Range(1, 16).Select(i => (byte)(i * 7)).ToArray();
        if (mutualSecret is not null)
            keys.AddRange(Kv($"CHAP_I={myId}", $"CHAP_C={Chap.EncodeHex(myChallenge)}"));
        var r3 = LoginStep(keys, 0, 1, true);
        if (r3.LoginStatus != 0) return r3;
        if (mutualSecret is not null)
        {
            var k3 = r3.Keys;
            onTargetChapName?.Invoke(k3.GetValueOrDefault("CHAP_N", ""));
            var expected = Chap.ComputeResponse(alg, myId, Encoding.UTF8.GetBytes(mutualSecret), myChallenge);
            bool ok = k3.TryGetValue("CHAP_R", out var theirs) && Chap.TryDecodeBinary(theirs, out var tb) && tb.AsSpan().SequenceEqual(expected);
            mutualOk?.Invoke(ok);
        }
        if (!r3.Transit || r3.NextStage != 1) throw new InvalidOperationException("target did not transit to the operational stage");
        return LoginStep(Kv(StandardOperational()), 1, 3, true);
    }

    // ---------------------------------------------------------------- framing

    public void Send(byte[] header, ReadOnlySpan<byte> data) => Send(header, data, HeaderDigest, DataDigest);

    public void Send(byte[] header, ReadOnlySpan<byte> data, bool hd, bool dd)
    {
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, header, data, hd, dd);
        _stream.Write(w.WrittenSpan);
    }

    /// <summary>Sends raw bytes as they are (for malformed-PDU tests).</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public RawPdu Receive() => Receive(HeaderDigest, DataDigest);

    public RawPdu Receive(bool hd, bool dd)
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

    /// <summary>Receives the next PDU that is not a target-initiated NOP-In ping.</summary>
    public RawPdu ReceiveSkippingPings()
    {
        while (true)
        {
            var p = Receive();
            if (p.Opcode == Opcode.NopIn && p.Itt == Bhs.ReservedTag) continue;
            return p;
        }
    }

    /// <summary>True when the target closes the connection; false when the read times out first.</summary>
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
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
        {
            return false;
        }
        catch (IOException)
        {
            return true; // connection reset
        }
    }

    // ---------------------------------------------------------------- full feature helpers

    /// <summary>A 10-byte CDB (READ(10), WRITE(10), ...): opcode, flags (byte 1: FUA 0x08, ...), LBA, blocks.</summary>
    public static byte[] Cdb10(byte opcode, uint lba, ushort blocks, byte flags = 0)
    {
        var c = new byte[10];
        c[0] = opcode;
        c[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(c.AsSpan(7), blocks);
        return c;
    }

    public static readonly byte[] TestUnitReady = new byte[6];

    /// <summary>Builds a SCSI Command header: the BHS, and the AHS a CDB over 16 bytes (Extended CDB,
    /// RFC 7143 §11.2.2.3) or <paramref name="bidirectionalReadLength"/> (§11.2.2.4) needs. Takes the next
    /// ITT and CmdSN unless given.</summary>
    public byte[] CommandHeader(ReadOnlySpan<byte> cdb, uint edtl, bool read, bool write, bool final, int immediateLength,
        ulong lun = 0, uint? itt = null, uint? cmdSN = null, bool immediate = false, uint? bidirectionalReadLength = null)
    {
        var pdu = new ScsiCommandPdu
        {
            Immediate = immediate,
            Final = final,
            Read = read,
            Write = write,
            Attribute = ScsiTaskAttribute.Simple,
            Lun = lun << 48,
            InitiatorTaskTag = itt ?? NextItt++,
            ExpectedDataTransferLength = edtl,
            Sequence = new(cmdSN ?? (immediate ? CmdSN : CmdSN++), ExpStatSN),
            Cdb = cdb,
            BidirectionalReadExpectedDataTransferLength = bidirectionalReadLength,
        };
        var h = new byte[pdu.HeaderLength];
        pdu.Encode(h, immediateLength);
        return h;
    }

    /// <summary>Sends a command and returns its ITT.</summary>
    public uint SendCommand(ReadOnlySpan<byte> cdb, uint edtl, bool read = false, bool write = false, bool final = true,
        ReadOnlySpan<byte> immediateData = default, ulong lun = 0, uint? itt = null, uint? cmdSN = null)
    {
        var h = CommandHeader(cdb, edtl, read, write, final, immediateData.Length, lun, itt, cmdSN);
        Send(h, immediateData);
        return BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(16));
    }

    /// <summary>Sends one Data-Out; <paramref name="corruptDigest"/> flips the last byte on the wire (with
    /// DataDigest=CRC32C, the data digest).</summary>
    public void SendDataOut(uint itt, uint ttt, uint dataSN, int offset, ReadOnlySpan<byte> data, bool final, ulong lun = 0, bool corruptDigest = false)
    {
        var h = new byte[48];
        new DataOutPdu
        {
            Final = final, Lun = lun << 48, InitiatorTaskTag = itt, TargetTransferTag = ttt, ExpStatSN = ExpStatSN,
            DataSN = dataSN, BufferOffset = (uint)offset,
        }.Encode(h, data.Length);
        if (!corruptDigest)
        {
            Send(h, data);
            return;
        }
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, h, data, HeaderDigest, DataDigest);
        var bytes = w.WrittenSpan.ToArray();
        bytes[^1] ^= 0xFF;
        _stream.Write(bytes);
    }

    /// <summary>Notes the StatSN of a status-carrying PDU.</summary>
    public void Ack(RawPdu p) => ExpStatSN = p.StatSN + 1;

    /// <summary>Runs a command with no data and returns its SCSI Response.</summary>
    public RawPdu Command(ReadOnlySpan<byte> cdb, ulong lun = 0)
    {
        uint itt = SendCommand(cdb, 0, lun: lun);
        var rsp = ReceiveSkippingPings();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Ack(rsp);
        return rsp;
    }

    /// <summary>
    /// WRITE(10) the way the login negotiated it: immediate data up to FirstBurstLength, unsolicited
    /// Data-Out to the end of the first burst (unless InitialR2T=Yes), then Data-Out answering every
    /// R2T. <paramref name="corruptSolicitedDigest"/> corrupts the data digest of the first solicited
    /// Data-Out. Returns the final PDU: SCSI Response, or a Reject.
    /// </summary>
    public RawPdu Write10(uint lba, byte[] data, int blockSize = 512, bool corruptSolicitedDigest = false)
    {
        int firstBurst = int.Parse(Negotiated.GetValueOrDefault("FirstBurstLength", "65536"));
        int mrdsl = 65536; // the target declared at least this much
        if (Negotiated.TryGetValue("MaxRecvDataSegmentLength", out var m)) mrdsl = Math.Min(mrdsl, int.Parse(m));
        int immediate = Negotiated.GetValueOrDefault("ImmediateData") == "No" ? 0 : Math.Min(Math.Min(firstBurst, mrdsl), data.Length);
        // InitialR2T=Yes (§13.10): nothing beyond immediate data goes unsolicited.
        int unsolicitedEnd = Negotiated.GetValueOrDefault("InitialR2T") == "Yes" ? immediate : Math.Min(firstBurst, data.Length);
        var h = CommandHeader(Cdb10(0x2A, lba, (ushort)(data.Length / blockSize)), (uint)data.Length, false, true, final: immediate == unsolicitedEnd, immediate);
        uint itt = BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(16));
        Send(h, data.AsSpan(0, immediate));
        uint dataSN = 0;
        for (int off = immediate; off < unsolicitedEnd;)
        {
            int len = Math.Min(mrdsl, unsolicitedEnd - off);
            SendDataOut(itt, Bhs.ReservedTag, dataSN++, off, data.AsSpan(off, len), off + len == unsolicitedEnd);
            off += len;
        }
        return AnswerR2Ts(itt, data, mrdsl, corruptSolicitedDigest);
    }

    /// <summary>Answers every R2T of command <paramref name="itt"/> with Data-Out PDUs of at most
    /// <paramref name="segment"/> bytes (the first one's digest corrupted if asked) until a PDU other
    /// than an R2T comes; acknowledges and returns that one.</summary>
    private RawPdu AnswerR2Ts(uint itt, byte[] data, int segment, bool corruptFirstDigest = false)
    {
        bool corrupted = false;
        while (true)
        {
            var p = ReceiveSkippingPings();
            if (p.Opcode != Opcode.ReadyToTransfer)
            {
                Ack(p);
                return p;
            }
            uint offset = p.R2t.BufferOffset, length = p.R2t.DesiredDataTransferLength;
            uint sn = 0;
            for (uint done = 0; done < length;)
            {
                int len = (int)Math.Min((uint)segment, length - done);
                bool corrupt = corruptFirstDigest && !corrupted;
                corrupted |= corrupt;
                SendDataOut(itt, p.Ttt, sn++, (int)(offset + done), data.AsSpan((int)(offset + done), len), done + (uint)len == length, corruptDigest: corrupt);
                done += (uint)len;
            }
        }
    }

    /// <summary>WRITE(10) with no immediate or unsolicited data: every byte answers an R2T, in
    /// Data-Out PDUs of <paramref name="segment"/> bytes.</summary>
    public RawPdu Write10Solicited(uint lba, byte[] data, int segment = 8192)
    {
        uint itt = SendCommand(Cdb10(0x2A, lba, (ushort)(data.Length / 512)), (uint)data.Length, write: true, final: true);
        return AnswerR2Ts(itt, data, segment);
    }

    /// <summary>READ(10) of <paramref name="bytes"/> bytes: the data gathered from the Data-In PDUs and the
    /// final PDU (Data-In with status, or SCSI Response).</summary>
    public (byte[] Data, RawPdu Final) Read10(uint lba, int bytes, int blockSize = 512, ulong lun = 0) =>
        Execute(Cdb10(0x28, lba, (ushort)(bytes / blockSize)), (uint)bytes, read: true, write: false, lun: lun);

    /// <summary>Any command, its data out as immediate data (up to what the CDB needs), its data in
    /// gathered: the data and the final PDU (Data-In with status, or SCSI Response).</summary>
    public (byte[] Data, RawPdu Final) Execute(byte[] cdb, uint edtl, bool read, bool write, byte[]? dataOut = null, ulong lun = 0)
    {
        int immediate = write ? Math.Min(dataOut?.Length ?? 0, (int)edtl) : 0;
        var h = CommandHeader(cdb, edtl, read, write, true, immediate, lun);
        Send(h, write ? dataOut.AsSpan(0, immediate) : ReadOnlySpan<byte>.Empty);
        var result = new byte[read ? edtl : 0];
        while (true)
        {
            var p = ReceiveSkippingPings();
            if (p.Opcode == Opcode.DataIn)
            {
                var dataIn = p.DataIn;
                p.Data.CopyTo(result, (int)dataIn.BufferOffset);
                if (!dataIn.StatusPresent) continue;
            }
            Ack(p);
            return (result, p);
        }
    }

    /// <summary>READ(10): every PDU the target answers with (Data-In, and the SCSI Response if any) until status.</summary>
    public List<RawPdu> Read10Pdus(uint lba, ushort blocks, uint edtl)
    {
        SendCommand(Cdb10(0x28, lba, blocks), edtl, read: true);
        var list = new List<RawPdu>();
        while (true)
        {
            var p = ReceiveSkippingPings();
            list.Add(p);
            if (p.Opcode == Opcode.DataIn && (p.Flags & 0x01) == 0) continue;
            Ack(p);
            return list;
        }
    }

    /// <summary>The data of <paramref name="dataIns"/> placed at their buffer offsets.</summary>
    public static byte[] Gather(List<RawPdu> dataIns, int size)
    {
        var r = new byte[size];
        foreach (var p in dataIns)
            if (p.Opcode == Opcode.DataIn) p.Data.CopyTo(r, (int)p.DataIn.BufferOffset);
        return r;
    }

    public RawPdu NopOut(byte[] ping, uint? itt = null)
    {
        var h = new byte[48];
        new NopOutPdu { Immediate = true, InitiatorTaskTag = itt ?? NextItt++, TargetTransferTag = Bhs.ReservedTag, Sequence = new(CmdSN, ExpStatSN) }
            .Encode(h, ping.Length);
        Send(h, ping);
        var rsp = ReceiveSkippingPings();
        return rsp;
    }

    /// <summary>Answers a target NOP-In ping (ITT 0xffffffff, echoing its TTT).</summary>
    public void AnswerPing(RawPdu nopIn)
    {
        var h = new byte[48];
        new NopOutPdu
        {
            Immediate = true, Lun = nopIn.Lun, InitiatorTaskTag = Bhs.ReservedTag, TargetTransferTag = nopIn.Ttt, Sequence = new(CmdSN, ExpStatSN),
        }.Encode(h, 0);
        Send(h, ReadOnlySpan<byte>.Empty);
    }

    public byte[] TextHeader(int dataLength, uint itt, uint ttt = Bhs.ReservedTag, bool cont = false, bool immediate = false)
    {
        var h = new byte[48];
        new TextRequestPdu
        {
            Immediate = immediate, Final = !cont, Continue = cont, InitiatorTaskTag = itt, TargetTransferTag = ttt,
            Sequence = new(immediate ? CmdSN : CmdSN++, ExpStatSN),
        }.Encode(h, dataLength);
        return h;
    }

    public RawPdu Text(IEnumerable<KeyValuePair<string, string>> keys, uint? itt = null, uint ttt = Bhs.ReservedTag)
    {
        var data = TextKeyValues.Encode(keys);
        Send(TextHeader(data.Length, itt ?? NextItt++, ttt), data);
        var rsp = ReceiveSkippingPings();
        Ack(rsp);
        return rsp;
    }

    public RawPdu TaskManagement(int function, uint referencedItt = Bhs.ReservedTag, uint refCmdSN = 0, ulong lun = 0)
    {
        SendTaskManagement(function, referencedItt, refCmdSN, lun);
        var rsp = ReceiveSkippingPings();
        Ack(rsp);
        return rsp;
    }

    /// <summary>Sends a Task Management Function request without waiting for its response; returns its ITT.</summary>
    public uint SendTaskManagement(int function, uint referencedItt = Bhs.ReservedTag, uint refCmdSN = 0, ulong lun = 0)
    {
        uint itt = NextItt;
        var h = new byte[48];
        new TaskManagementRequestPdu
        {
            Immediate = true, Function = (TaskManagementFunction)function, Lun = lun << 48, InitiatorTaskTag = NextItt++,
            ReferencedTaskTag = referencedItt, Sequence = new(CmdSN, ExpStatSN), RefCmdSN = refCmdSN, ExpDataSN = CmdSN,
        }.Encode(h);
        Send(h, ReadOnlySpan<byte>.Empty);
        return itt;
    }

    public RawPdu Logout(int reason, ushort? cid = null)
    {
        var h = new byte[48];
        new LogoutRequestPdu
        {
            Immediate = true, Reason = (LogoutReason)reason, InitiatorTaskTag = NextItt++, Cid = cid ?? Cid, Sequence = new(CmdSN, ExpStatSN),
        }.Encode(h);
        Send(h, ReadOnlySpan<byte>.Empty);
        var rsp = ReceiveSkippingPings();
        Ack(rsp);
        return rsp;
    }

    public void Dispose() => _stream.Dispose();
}
