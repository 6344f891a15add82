using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using SharpSan.Protocol;

namespace SharpSan.Target.Tests;

/// <summary>One received PDU, copied out of the stream.</summary>
internal sealed record RawPdu(byte[] Header, byte[] Data)
{
    public Opcode Opcode => (Opcode)(Header[0] & 0x3F);
    public byte Flags => Header[1];
    public byte Byte2 => Header[2];
    public byte Byte3 => Header[3];
    public uint Itt => new Bhs(Header).InitiatorTaskTag;
    /// <summary>The TTT of the target PDUs that carry one.</summary>
    public uint Ttt => Opcode switch
    {
        Opcode.ReadyToTransfer => R2t.TargetTransferTag,
        Opcode.DataIn => DataIn.TargetTransferTag,
        Opcode.NopIn => NopInPdu.Decode(Header).TargetTransferTag,
        Opcode.TextResponse => TextResponsePdu.Decode(Header).TargetTransferTag,
        _ => throw new InvalidOperationException($"{Opcode} has no Target Transfer Tag"),
    };
    public uint StatSN => TargetSequenceNumbers.Read(Header).StatSN;
    public uint ExpCmdSN => TargetSequenceNumbers.Read(Header).ExpCmdSN;
    public uint MaxCmdSN => TargetSequenceNumbers.Read(Header).MaxCmdSN;
    public int DataSegmentLength => new Bhs(Header).DataSegmentLength;
    public ulong Lun => new Bhs(Header).Lun;

    // Typed views
    public R2tPdu R2t => R2tPdu.Decode(Header);
    public DataInPdu DataIn => DataInPdu.Decode(Header);
    public ScsiResponsePdu ScsiResponse => ScsiResponsePdu.Decode(Header);
    public LoginResponsePdu Login => LoginResponsePdu.Decode(Header);

    // Login response
    public ushort LoginStatus => (ushort)Login.Status;
    public bool Transit => Login.Transit;
    public bool Continue => Login.Continue;
    public int CurrentStage => (int)Login.CurrentStage;
    public int NextStage => (int)Login.NextStage;
    public ushort Tsih => Login.Tsih;
    public ulong Isid => Login.Isid;

    public List<KeyValuePair<string, string>> KeyList => TextKeyValues.Parse(Data);

    public Dictionary<string, string> Keys
    {
        get
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in KeyList) d[k] = v;
            return d;
        }
    }

    /// <summary>SCSI Response sense: (key, asc, ascq) from fixed or descriptor format.</summary>
    public (int Key, int Asc, int Ascq) Sense
    {
        get
        {
            if (Data.Length < 2) throw new InvalidOperationException("no sense data");
            int len = BinaryPrimitives.ReadUInt16BigEndian(Data);
            var s = Data.AsSpan(2, len);
            return (s[0] & 0x7F) is 0x72 or 0x73 ? (s[1] & 0x0F, s[2], s[3]) : (s[2] & 0x0F, s[12], s[13]);
        }
    }

    public override string ToString() => $"{Opcode} flags=0x{Flags:x2} itt=0x{Itt:x8} len={DataSegmentLength}";
}

/// <summary>
/// A small blocking iSCSI initiator for driving the target in-process: explicit login steps (security
/// and operational stages, CHAP), raw PDUs, full feature phase helpers. Socket timeouts on every read.
/// </summary>
internal sealed class TestInitiator : IDisposable
{
    public const string DefaultInitiator = "iqn.2025-01.org.sharpsan.test:init1";

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _rx = new byte[1 << 20];
    private int _rxCount;

    public TestInitiator(int port, string host = "127.0.0.1", int receiveTimeoutMs = 15000)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.ReceiveTimeout = receiveTimeoutMs;
        _socket.SendTimeout = 15000;
        _socket.Connect(host, port);
        _stream = new NetworkStream(_socket, ownsSocket: true);
    }

    public ulong Isid { get; set; } = 0x800000001234;
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
            CmdSN = CmdSN,
            ExpStatSN = ExpStatSN,
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

    public static byte[] Cdb10(byte opcode, uint lba, ushort blocks)
    {
        var c = new byte[10];
        c[0] = opcode;
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(c.AsSpan(7), blocks);
        return c;
    }

    public static readonly byte[] TestUnitReady = new byte[6];

    /// <summary>Builds a SCSI Command BHS; takes the next ITT and CmdSN unless given.</summary>
    public byte[] CommandHeader(ReadOnlySpan<byte> cdb, uint edtl, bool read, bool write, bool final, int immediateLength,
        ulong lun = 0, uint? itt = null, uint? cmdSN = null, bool immediate = false)
    {
        var h = new byte[48];
        new ScsiCommandPdu
        {
            Immediate = immediate,
            Final = final,
            Read = read,
            Write = write,
            Attribute = ScsiTaskAttribute.Simple,
            Lun = lun << 48,
            InitiatorTaskTag = itt ?? NextItt++,
            ExpectedDataTransferLength = edtl,
            CmdSN = cmdSN ?? (immediate ? CmdSN : CmdSN++),
            ExpStatSN = ExpStatSN,
            Cdb = cdb,
        }.Encode(h, immediateLength);
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

    public void SendDataOut(uint itt, uint ttt, uint dataSN, int offset, ReadOnlySpan<byte> data, bool final, ulong lun = 0)
    {
        var h = new byte[48];
        new DataOutPdu
        {
            Final = final, Lun = lun << 48, InitiatorTaskTag = itt, TargetTransferTag = ttt, ExpStatSN = ExpStatSN,
            DataSN = dataSN, BufferOffset = (uint)offset,
        }.Encode(h, data.Length);
        Send(h, data);
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

    /// <summary>WRITE(10) answering every R2T with MaxRecvDataSegmentLength-sized Data-Out; no immediate data.</summary>
    public RawPdu Write10(uint lba, byte[] data, int segment = 8192)
    {
        uint itt = SendCommand(Cdb10(0x2A, lba, (ushort)(data.Length / 512)), (uint)data.Length, write: true, final: true);
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
                SendDataOut(itt, p.Ttt, sn++, (int)(offset + done), data.AsSpan((int)(offset + done), len), done + (uint)len == length);
                done += (uint)len;
            }
        }
    }

    /// <summary>READ(10): the Data-In PDUs (and SCSI Response, if any) until status.</summary>
    public List<RawPdu> Read10(uint lba, ushort blocks, uint edtl)
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
        new NopOutPdu { Immediate = true, InitiatorTaskTag = itt ?? NextItt++, TargetTransferTag = Bhs.ReservedTag, CmdSN = CmdSN, ExpStatSN = ExpStatSN }
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
            Immediate = true, Lun = nopIn.Lun, InitiatorTaskTag = Bhs.ReservedTag, TargetTransferTag = nopIn.Ttt, CmdSN = CmdSN, ExpStatSN = ExpStatSN,
        }.Encode(h, 0);
        Send(h, ReadOnlySpan<byte>.Empty);
    }

    public byte[] TextHeader(int dataLength, uint itt, uint ttt = Bhs.ReservedTag, bool cont = false, bool immediate = false)
    {
        var h = new byte[48];
        new TextRequestPdu
        {
            Immediate = immediate, Final = !cont, Continue = cont, InitiatorTaskTag = itt, TargetTransferTag = ttt,
            CmdSN = immediate ? CmdSN : CmdSN++, ExpStatSN = ExpStatSN,
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
        var h = new byte[48];
        new TaskManagementRequestPdu
        {
            Immediate = true, Function = (TaskManagementFunction)function, Lun = lun << 48, InitiatorTaskTag = NextItt++,
            ReferencedTaskTag = referencedItt, CmdSN = CmdSN, ExpStatSN = ExpStatSN, RefCmdSN = refCmdSN, ExpDataSN = CmdSN,
        }.Encode(h);
        Send(h, ReadOnlySpan<byte>.Empty);
        var rsp = ReceiveSkippingPings();
        Ack(rsp);
        return rsp;
    }

    public RawPdu Logout(int reason, ushort? cid = null)
    {
        var h = new byte[48];
        new LogoutRequestPdu
        {
            Immediate = true, Reason = (LogoutReason)reason, InitiatorTaskTag = NextItt++, Cid = cid ?? Cid, CmdSN = CmdSN, ExpStatSN = ExpStatSN,
        }.Encode(h);
        Send(h, ReadOnlySpan<byte>.Empty);
        var rsp = ReceiveSkippingPings();
        Ack(rsp);
        return rsp;
    }

    public void Dispose() => _stream.Dispose();
}
