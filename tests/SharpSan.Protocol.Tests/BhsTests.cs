using System.Buffers.Binary;

namespace SharpSan.Protocol.Tests;

public class BhsTests
{
    /// <summary>48 bytes where byte i holds 0x10 + i, so every field's value tells its offset.</summary>
    private static byte[] Pattern()
    {
        var b = new byte[48];
        for (int i = 0; i < 48; i++) b[i] = (byte)(0x10 + i);
        return b;
    }

    [Fact]
    public void Getters_ReadTheRfcOffsets()
    {
        var bytes = Pattern();
        bytes[0] = 0x41; // I bit + opcode 0x01
        bytes[1] = 0x87;
        var h = new Bhs(bytes);
        Assert.Equal(Opcode.ScsiCommand, h.Opcode);
        Assert.True(h.Immediate);
        Assert.Equal(0x87, h.Flags);
        Assert.True(h.Final);
        Assert.Equal(0x14, h.TotalAhsLength);
        Assert.Equal(0x151617, h.DataSegmentLength);
        Assert.Equal(0x18191A1B1C1D1E1FUL, h.Lun);
        Assert.Equal(bytes[8..16], h.LunBytes.ToArray());
        Assert.Equal(0x20212223u, h.InitiatorTaskTag);
    }

    [Fact]
    public void ParseAtAnOffset_AndLongerSpans()
    {
        var buffer = new byte[100];
        Pattern().CopyTo(buffer, 7);
        var h = new Bhs(buffer.AsSpan(7));
        Assert.Equal(48, h.Bytes.Length);
        Assert.Equal(0x20212223u, h.InitiatorTaskTag);
        Assert.Equal(0x3C3D3E3Fu, R2tPdu.Decode(h).DesiredDataTransferLength);
        Assert.Equal(0x3C3D3E3Fu, R2tPdu.Decode(buffer.AsSpan(7)).DesiredDataTransferLength);
    }

    [Fact]
    public void ShortSpan_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Bhs(new byte[47]));
    }

    [Theory]
    [InlineData(0x87, true, false, 1, 3)]  // T=1, CSG=Operational, NSG=FullFeature
    [InlineData(0x81, true, false, 0, 1)]  // T=1, CSG=Security, NSG=Operational
    [InlineData(0x00, false, false, 0, 0)]
    [InlineData(0x44, false, true, 1, 0)]  // C=1, CSG=1
    [InlineData(0xC7, true, true, 1, 3)]
    [InlineData(0x0F, false, false, 3, 3)]
    public void LoginFlags(byte flags, bool transit, bool cont, int csg, int nsg)
    {
        var bytes = new byte[48];
        new LoginRequestPdu
        {
            Transit = transit, Continue = cont, CurrentStage = (LoginStage)csg, NextStage = (LoginStage)nsg,
        }.Encode(bytes, 0);
        Assert.Equal(0x43, bytes[0]); // a login request is always immediate
        Assert.Equal(flags, bytes[1]);
        var h = new Bhs(bytes);
        Assert.Equal(Opcode.LoginRequest, h.Opcode);
        var d = LoginRequestPdu.Decode(h);
        Assert.Equal((transit, cont, csg, nsg), (d.Transit, d.Continue, (int)d.CurrentStage, (int)d.NextStage));
    }

    [Fact]
    public void CapturedLogin_IsidTsihAndStages()
    {
        // libiscsi discovery login: ISID 80 be e7 d4 00 00, TSIH 0; tgt answers TSIH 0x0100.
        var req = LoginRequestPdu.Decode(Framer.FrameCapture("discovery.0.c2s.bin")[0].Header);
        Assert.Equal(0x80bee7d40000UL, req.Isid);
        Assert.Equal(0, req.Tsih);
        Assert.Equal(0, req.Cid);
        Assert.Equal(LoginStage.LoginOperationalNegotiation, req.CurrentStage);
        Assert.Equal(LoginStage.FullFeaturePhase, req.NextStage);
        Assert.True(req.Transit);
        Assert.Equal(0, req.VersionMax);
        var header = Framer.FrameCapture("discovery.0.s2c.bin")[0].Header;
        Assert.Equal(Opcode.LoginResponse, new Bhs(header).Opcode);
        var resp = LoginResponsePdu.Decode(header);
        Assert.Equal(0x80bee7d40000UL, resp.Isid);
        Assert.Equal(0x0100, resp.Tsih);
    }

    [Fact]
    public void TypedLoginRequest_RebuildsACapturedOneByteForByte()
    {
        var req = Framer.FrameCapture("discovery.0.c2s.bin")[0];
        var built = new byte[48];
        new LoginRequestPdu
        {
            Transit = true, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase,
            Isid = 0x80bee7d40000, Tsih = 0, InitiatorTaskTag = 0x341f9025, Cid = 0, Sequence = new(1632392226, 1),
        }.Encode(built, 395);
        Assert.Equal(req.Header, built);
    }

    [Fact]
    public void Isid_RoundTrip()
    {
        var bytes = new byte[48];
        new LoginRequestPdu { Isid = 0xFFFFFFFFFFFFUL, Tsih = 0xFFFF }.Encode(bytes, 0);
        Assert.Equal((0xFFFFFFFFFFFFUL, (ushort)0xFFFF), (LoginRequestPdu.Decode(bytes).Isid, LoginRequestPdu.Decode(bytes).Tsih));
        new LoginRequestPdu { Isid = 0x400001370000UL, Tsih = 0x0001 }.Encode(bytes, 0);
        Assert.Equal((0x400001370000UL, (ushort)1), (LoginRequestPdu.Decode(bytes).Isid, LoginRequestPdu.Decode(bytes).Tsih));
        Assert.Equal(0x40, bytes[8]); // ISID type/A field comes first on the wire
    }

    [Fact]
    public void DataSegmentLength_24BitMax()
    {
        var bytes = new byte[48];
        Array.Fill(bytes, (byte)0xEE);
        Bhs.WriteDataSegmentLength(bytes, 0xFFFFFF);
        Assert.Equal(0xFFFFFF, new Bhs(bytes).DataSegmentLength);
        Bhs.WriteDataSegmentLength(bytes, 0x123456);
        Assert.Equal(new byte[] { 0xEE, 0x12, 0x34, 0x56, 0xEE }, bytes[4..9]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bhs.WriteDataSegmentLength(new byte[48], 0x1000000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bhs.WriteDataSegmentLength(new byte[48], -1));
    }

    [Theory]
    [InlineData(0x00, Opcode.NopOut)]
    [InlineData(0x01, Opcode.ScsiCommand)]
    [InlineData(0x02, Opcode.TaskManagementRequest)]
    [InlineData(0x03, Opcode.LoginRequest)]
    [InlineData(0x04, Opcode.TextRequest)]
    [InlineData(0x05, Opcode.DataOut)]
    [InlineData(0x06, Opcode.LogoutRequest)]
    [InlineData(0x10, Opcode.Snack)]
    [InlineData(0x20, Opcode.NopIn)]
    [InlineData(0x21, Opcode.ScsiResponse)]
    [InlineData(0x22, Opcode.TaskManagementResponse)]
    [InlineData(0x23, Opcode.LoginResponse)]
    [InlineData(0x24, Opcode.TextResponse)]
    [InlineData(0x25, Opcode.DataIn)]
    [InlineData(0x26, Opcode.LogoutResponse)]
    [InlineData(0x31, Opcode.ReadyToTransfer)]
    [InlineData(0x32, Opcode.AsyncMessage)]
    [InlineData(0x3F, Opcode.Reject)]
    public void Opcodes_Rfc7143Values_AndTheTopBitsAreMasked(byte value, Opcode opcode)
    {
        Assert.Equal(value, (byte)opcode);
        var bytes = new byte[48];
        bytes[0] = (byte)(value | 0xC0); // I bit and the reserved bit 7
        Assert.Equal(opcode, new Bhs(bytes).Opcode);
        Assert.True(new Bhs(bytes).Immediate);
    }

    [Theory]
    [InlineData(LoginStatus.Success, 0x00, 0x00)]
    [InlineData(LoginStatus.TargetMovedTemporarily, 0x01, 0x01)]
    [InlineData(LoginStatus.AuthenticationFailure, 0x02, 0x01)]
    [InlineData(LoginStatus.AuthorizationFailure, 0x02, 0x02)]
    [InlineData(LoginStatus.NotFound, 0x02, 0x03)]
    [InlineData(LoginStatus.SessionTypeNotSupported, 0x02, 0x09)]
    [InlineData(LoginStatus.InvalidDuringLogin, 0x02, 0x0B)]
    [InlineData(LoginStatus.TargetError, 0x03, 0x00)]
    [InlineData(LoginStatus.OutOfResources, 0x03, 0x02)]
    public void LoginStatus_ClassAndDetail(LoginStatus status, byte cls, byte detail)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)status);
        Assert.Equal(cls, b[0]);
        Assert.Equal(detail, b[1]);
        var h = new byte[48];
        new LoginResponsePdu { Status = status }.Encode(h, 0);
        Assert.Equal((cls, detail), (h[36], h[37]));
    }
}
