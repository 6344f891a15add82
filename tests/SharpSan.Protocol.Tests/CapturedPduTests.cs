namespace SharpSan.Protocol.Tests;

/// <summary>
/// Golden bytes: PDUs that libiscsi, QEMU and the Linux kernel initiator exchanged with tgt (captures in
/// TestData, see its README). Every one decodes through its typed PDU and encodes back byte for byte, so
/// the typed PDUs read what real peers send and write what they expect; a few are checked field by field.
/// </summary>
public class CapturedPduTests
{
    private static readonly string[] StreamNames =
    {
        "chap-wrong-secret.0.c2s.bin", "chap-wrong-secret.0.s2c.bin",
        "discovery.0.c2s.bin", "discovery.0.s2c.bin", "discovery.1.c2s.bin", "discovery.1.s2c.bin",
        "inquiry-chap.0.c2s.bin", "inquiry-chap.0.s2c.bin",
        "kernel-login-chap-digests.0.c2s.bin", "kernel-login-chap-digests.0.s2c.bin",
        "kernel-login-chap-digests.1.c2s.bin", "kernel-login-chap-digests.1.s2c.bin",
        "rw-headerdigest-chap.0.c2s.bin", "rw-headerdigest-chap.0.s2c.bin",
    };

    public static TheoryData<string> Streams() => new(StreamNames);

    /// <summary>Decodes a header through the typed PDU for its opcode and encodes it again.</summary>
    private static byte[] Reencode(byte[] header)
    {
        var bhs = new Bhs(header);
        int length = bhs.DataSegmentLength;
        var o = new byte[Bhs.Length];
        switch (bhs.Opcode)
        {
            case Opcode.ScsiCommand: ScsiCommandPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.ScsiResponse: ScsiResponsePdu.Decode(bhs).Encode(o, length); break;
            case Opcode.DataOut: DataOutPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.DataIn: DataInPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.ReadyToTransfer: Assert.Equal(0, length); R2tPdu.Decode(bhs).Encode(o); break;
            case Opcode.TaskManagementRequest: Assert.Equal(0, length); TaskManagementRequestPdu.Decode(bhs).Encode(o); break;
            case Opcode.TaskManagementResponse: Assert.Equal(0, length); TaskManagementResponsePdu.Decode(bhs).Encode(o); break;
            case Opcode.TextRequest: TextRequestPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.TextResponse: TextResponsePdu.Decode(bhs).Encode(o, length); break;
            case Opcode.LoginRequest: LoginRequestPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.LoginResponse: LoginResponsePdu.Decode(bhs).Encode(o, length); break;
            case Opcode.LogoutRequest: Assert.Equal(0, length); LogoutRequestPdu.Decode(bhs).Encode(o); break;
            case Opcode.LogoutResponse: Assert.Equal(0, length); LogoutResponsePdu.Decode(bhs).Encode(o); break;
            case Opcode.NopOut: NopOutPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.NopIn: NopInPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.Reject: RejectPdu.Decode(bhs).Encode(o, length); break;
            case Opcode.AsyncMessage: AsyncMessagePdu.Decode(bhs).Encode(o, length); break;
            case Opcode.Snack: SnackRequestPdu.Decode(bhs).Encode(o, length); break;
            default: throw new InvalidOperationException($"opcode {bhs.Opcode}");
        }
        return o;
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void EveryCapturedPdu_ReencodesByteForByte(string stream)
    {
        var pdus = Framer.FrameCapture(stream);
        Assert.NotEmpty(pdus);
        foreach (var p in pdus)
        {
            Assert.Equal(0, new Bhs(p.Header).TotalAhsLength);
            var again = Reencode(p.Header);
            Assert.True(p.Header.AsSpan().SequenceEqual(again),
                $"{p.Opcode} at offset {p.Offset}: {Convert.ToHexString(p.Header)} -> {Convert.ToHexString(again)}");
        }
    }

    [Fact]
    public void Captures_CoverTheExchangedPduTypes()
    {
        var seen = new HashSet<Opcode>();
        foreach (var stream in StreamNames)
            foreach (var p in Framer.FrameCapture(stream))
                seen.Add(p.Opcode);
        Assert.Superset(new HashSet<Opcode>
        {
            Opcode.LoginRequest, Opcode.LoginResponse, Opcode.TextRequest, Opcode.TextResponse, Opcode.ScsiCommand,
            Opcode.ScsiResponse, Opcode.DataOut, Opcode.DataIn, Opcode.ReadyToTransfer, Opcode.LogoutRequest, Opcode.LogoutResponse,
        }, seen);
    }

    private static FramedPdu Nth(string stream, Opcode opcode, int n = 0) =>
        Framer.FrameCapture(stream).Where(p => p.Opcode == opcode).ElementAt(n);

    [Fact]
    public void QemuWrite_R2t()
    {
        // tgt asks QEMU for the rest of a 256 KiB write after its 8 KiB of immediate data.
        var r2t = R2tPdu.Decode(Nth("rw-headerdigest-chap.0.s2c.bin", Opcode.ReadyToTransfer).Header);
        Assert.Equal(new R2tPdu
        {
            Lun = 0x0001000000000000, InitiatorTaskTag = 0x35f33871, TargetTransferTag = 0x203adb05,
            Sequence = new(0x0f, 0x56a3c3c2, 0x56a3c442),
            R2TSN = 0, BufferOffset = 0x2000, DesiredDataTransferLength = 0x3e000,
        }, r2t);
    }

    [Fact]
    public void QemuWrite_CommandAndDataOut()
    {
        var c2s = Framer.FrameCapture("rw-headerdigest-chap.0.c2s.bin");
        var writes = c2s.Where(p => p.Opcode == Opcode.ScsiCommand && p.Header[32] == 0x2A).ToList(); // WRITE(10)
        Assert.Single(writes);
        var cmd = ScsiCommandPdu.Decode(writes[0].Header);
        // F=1: InitialR2T=Yes, so after the immediate data everything else waits for R2Ts.
        Assert.True(cmd.Write && !cmd.Read && !cmd.Immediate && cmd.Final);
        Assert.Equal(ScsiTaskAttribute.Simple, cmd.Attribute);
        Assert.Equal(0x0001000000000000UL, cmd.Lun);
        Assert.Equal(262144u, cmd.ExpectedDataTransferLength);
        Assert.Equal(writes[0].Data.Length, new Bhs(writes[0].Header).DataSegmentLength);

        var dataOut = c2s.Where(p => p.Opcode == Opcode.DataOut).Select(p => DataOutPdu.Decode(p.Header)).ToList();
        uint itt = cmd.InitiatorTaskTag;
        Assert.All(dataOut, d => Assert.Equal(itt, d.InitiatorTaskTag));
        Assert.Equal(0x203adb05u, dataOut[0].TargetTransferTag);
        Assert.Equal((0u, 0x2000u), (dataOut[0].DataSN, dataOut[0].BufferOffset));
        Assert.True(dataOut[^1].Final);
        Assert.Equal(262144u, dataOut[^1].BufferOffset + (uint)new Bhs(c2s.Last(p => p.Opcode == Opcode.DataOut).Header).DataSegmentLength);
    }

    [Fact]
    public void LibiscsiInquiry_DataInWithStatus_AndCheckCondition()
    {
        // TEST UNIT READY answered with CHECK CONDITION and 20 bytes of sense (2-byte length + 18).
        var rsp = ScsiResponsePdu.Decode(Nth("inquiry-chap.0.s2c.bin", Opcode.ScsiResponse).Header);
        Assert.Equal(ScsiResponseCode.CommandCompletedAtTarget, rsp.Response);
        Assert.Equal(0x02, rsp.Status);
        Assert.Equal(0x2a77dcd0u, rsp.InitiatorTaskTag);
        Assert.Equal((4u, 0x6c0d656fu, 0x6c0d65efu), (rsp.Sequence.StatSN, rsp.Sequence.ExpCmdSN, rsp.Sequence.MaxCmdSN));
        Assert.False(rsp.ResidualOverflow || rsp.ResidualUnderflow);

        // INQUIRY with phase collapse: F and S in one Data-In, status GOOD.
        var dataIn = DataInPdu.Decode(Nth("inquiry-chap.0.s2c.bin", Opcode.DataIn).Header);
        Assert.True(dataIn.Final && dataIn.StatusPresent && !dataIn.Acknowledge);
        Assert.Equal(0, dataIn.Status);
        Assert.Equal(Bhs.ReservedTag, dataIn.TargetTransferTag);
        Assert.Equal((0u, 0u, 6u), (dataIn.DataSN, dataIn.BufferOffset, dataIn.Sequence.StatSN));
    }

    [Fact]
    public void QemuRead_UnderflowResidual()
    {
        var under = Framer.FrameCapture("rw-headerdigest-chap.0.s2c.bin")
            .Where(p => p.Opcode == Opcode.DataIn).Select(p => DataInPdu.Decode(p.Header)).First(d => d.ResidualUnderflow);
        Assert.True(under.StatusPresent && under.Final);
        Assert.Equal(0x9du, under.ResidualCount);
    }

    [Fact]
    public void WrongChapSecret_AuthenticationFailure()
    {
        var pdus = Framer.FrameCapture("chap-wrong-secret.0.s2c.bin");
        var last = LoginResponsePdu.Decode(pdus[^1].Header);
        Assert.Equal(LoginStatus.AuthenticationFailure, last.Status);
        Assert.False(last.Transit);
        Assert.Equal(LoginStage.SecurityNegotiation, last.CurrentStage);
        var first = LoginResponsePdu.Decode(pdus[0].Header);
        Assert.Equal(LoginStatus.Success, first.Status);
        Assert.Equal(0x80f72c3c0000UL, first.Isid);
    }

    [Fact]
    public void Discovery_LoginTextAndStages()
    {
        var login = LoginRequestPdu.Decode(Nth("discovery.0.c2s.bin", Opcode.LoginRequest).Header);
        Assert.Equal(new LoginRequestPdu
        {
            Transit = true, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase,
            Isid = 0x80bee7d40000, Tsih = 0, InitiatorTaskTag = 0x341f9025, Cid = 0, Sequence = new(0x614c5422, 1),
        }, login);
        var accepted = LoginResponsePdu.Decode(Nth("discovery.0.s2c.bin", Opcode.LoginResponse).Header);
        Assert.Equal((LoginStatus.Success, (ushort)0x0100, login.Isid), (accepted.Status, accepted.Tsih, accepted.Isid));
        Assert.True(accepted.Transit);
        Assert.Equal(LoginStage.FullFeaturePhase, accepted.NextStage);

        var text = TextRequestPdu.Decode(Nth("discovery.0.c2s.bin", Opcode.TextRequest).Header);
        Assert.True(text.Final && !text.Continue && text.Immediate); // libiscsi sends it immediate
        Assert.Equal(Bhs.ReservedTag, text.TargetTransferTag);
        var answer = TextResponsePdu.Decode(Nth("discovery.0.s2c.bin", Opcode.TextResponse).Header);
        Assert.Equal(text.InitiatorTaskTag, answer.InitiatorTaskTag);
        Assert.True(answer.Final && !answer.Continue);
        Assert.Equal(Bhs.ReservedTag, answer.TargetTransferTag);
    }

    [Fact]
    public void LibiscsiLogout()
    {
        var req = LogoutRequestPdu.Decode(Nth("inquiry-chap.0.c2s.bin", Opcode.LogoutRequest).Header);
        Assert.True(req.Immediate);
        Assert.Equal(LogoutReason.CloseSession, req.Reason);
        var rsp = LogoutResponsePdu.Decode(Nth("inquiry-chap.0.s2c.bin", Opcode.LogoutResponse).Header);
        Assert.Equal(LogoutResponseCode.ClosedSuccessfully, rsp.Response);
        Assert.Equal(req.InitiatorTaskTag, rsp.InitiatorTaskTag);
        Assert.Equal(TargetSequenceNumbers.Read(Nth("inquiry-chap.0.s2c.bin", Opcode.LogoutResponse).Header),
            rsp.Sequence);
    }
}
