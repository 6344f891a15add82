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
        Assert.Equal(0x12, h.Byte2);
        Assert.Equal(0x13, h.Byte3);
        Assert.Equal(0x14, h.TotalAhsLength);
        Assert.Equal(0x151617, h.DataSegmentLength);
        Assert.Equal(0x18191A1B1C1D1E1FUL, h.Lun);
        Assert.Equal(bytes[8..16], h.LunBytes.ToArray());
        Assert.Equal(0x20212223u, h.InitiatorTaskTag);
        Assert.Equal(0x24252627u, h.Word20);
        Assert.Equal(0x24252627u, h.TargetTransferTag);
        Assert.Equal(0x24252627u, h.ExpectedDataTransferLength);
        Assert.Equal(0x28292A2Bu, h.Word24);
        Assert.Equal(0x28292A2Bu, h.CmdSN);
        Assert.Equal(0x28292A2Bu, h.StatSN);
        Assert.Equal(0x2C2D2E2Fu, h.Word28);
        Assert.Equal(0x2C2D2E2Fu, h.ExpStatSN);
        Assert.Equal(0x2C2D2E2Fu, h.ExpCmdSN);
        Assert.Equal(0x30313233u, h.Word32);
        Assert.Equal(0x30313233u, h.MaxCmdSN);
        Assert.Equal(0x34353637u, h.Word36);
        Assert.Equal(0x34353637u, h.DataSN);
        Assert.Equal(0x38393A3Bu, h.Word40);
        Assert.Equal(0x38393A3Bu, h.BufferOffset);
        Assert.Equal(0x3C3D3E3Fu, h.Word44);
        Assert.Equal(bytes[32..48], h.Cdb.ToArray());
        Assert.Equal(0x12, h.VersionMax);
        Assert.Equal(0x13, h.VersionMin);
        Assert.Equal(0x18191A1B1C1DUL, h.Isid);
        Assert.Equal(0x1E1F, h.Tsih);
        Assert.Equal(0x2425, h.Cid);
    }

    [Fact]
    public void ParseAtAnOffset_AndLongerSpans()
    {
        var buffer = new byte[100];
        Pattern().CopyTo(buffer, 7);
        var h = new Bhs(buffer.AsSpan(7));
        Assert.Equal(48, h.Bytes.Length);
        Assert.Equal(0x20212223u, h.InitiatorTaskTag);
        Assert.Equal(0x3C3D3E3Fu, h.Word44);
    }

    [Fact]
    public void ShortSpan_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Bhs(new byte[47]));
        Assert.Throws<ArgumentException>(() => new BhsBuilder(new byte[47]));
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
        new BhsBuilder(bytes).Init(Opcode.LoginRequest, flags, immediate: true);
        var h = new Bhs(bytes);
        Assert.Equal(0x43, bytes[0]);
        Assert.Equal(Opcode.LoginRequest, h.Opcode);
        Assert.Equal(transit, h.Transit);
        Assert.Equal(cont, h.Continue);
        Assert.Equal(csg, h.CurrentStage);
        Assert.Equal(nsg, h.NextStage);
    }

    [Fact]
    public void CapturedLogin_IsidTsihAndStages()
    {
        // libiscsi discovery login: ISID 80 be e7 d4 00 00, TSIH 0; tgt answers TSIH 0x0100.
        var req = Framer.FrameCapture("discovery.0.c2s.bin")[0];
        var h = new Bhs(req.Header);
        Assert.Equal(0x80bee7d40000UL, h.Isid);
        Assert.Equal(0, h.Tsih);
        Assert.Equal(0, h.Cid);
        Assert.Equal(1, h.CurrentStage);
        Assert.Equal(3, h.NextStage);
        Assert.True(h.Transit);
        Assert.Equal(0, h.VersionMax);
        var resp = new Bhs(Framer.FrameCapture("discovery.0.s2c.bin")[0].Header);
        Assert.Equal(Opcode.LoginResponse, resp.Opcode);
        Assert.Equal(0x80bee7d40000UL, resp.Isid);
        Assert.Equal(0x0100, resp.Tsih);
    }

    [Fact]
    public void Builder_RebuildsACapturedLoginRequestByteForByte()
    {
        var req = Framer.FrameCapture("discovery.0.c2s.bin")[0];
        var built = new byte[48];
        var b = new BhsBuilder(built).Init(Opcode.LoginRequest, 0x87, immediate: true);
        b.SetDataSegmentLength(395);
        b.SetIsidTsih(0x80bee7d40000, 0);
        b.SetInitiatorTaskTag(0x341f9025);
        b.SetCid(0);
        b.SetWord24(1632392226);
        b.SetWord28(1);
        Assert.Equal(req.Header, built);
    }

    [Fact]
    public void Builder_EachSetterWritesOnlyItsField()
    {
        void Check(Action<BhsBuilder> set, int offset, byte[] expected)
        {
            var bytes = new byte[48];
            Array.Fill(bytes, (byte)0xEE);
            set(new BhsBuilder(bytes));
            for (int i = 0; i < 48; i++)
            {
                if (i >= offset && i < offset + expected.Length) Assert.Equal(expected[i - offset], bytes[i]);
                else Assert.Equal(0xEE, bytes[i]);
            }
        }
        Check(b => b.SetFlags(0x81), 1, new byte[] { 0x81 });
        Check(b => b.SetByte2(0x02), 2, new byte[] { 0x02 });
        Check(b => b.SetByte3(0x03), 3, new byte[] { 0x03 });
        Check(b => b.SetTotalAhsLength(5), 4, new byte[] { 5 });
        Check(b => b.SetDataSegmentLength(0x123456), 5, new byte[] { 0x12, 0x34, 0x56 });
        Check(b => b.SetLun(0x0001000000000000UL), 8, new byte[] { 0, 1, 0, 0, 0, 0, 0, 0 });
        Check(b => b.SetLun(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }), 8, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        Check(b => b.SetInitiatorTaskTag(0xA1A2A3A4), 16, new byte[] { 0xA1, 0xA2, 0xA3, 0xA4 });
        Check(b => b.SetWord20(0xB1B2B3B4), 20, new byte[] { 0xB1, 0xB2, 0xB3, 0xB4 });
        Check(b => b.SetCid(0xC1C2), 20, new byte[] { 0xC1, 0xC2 });
        Check(b => b.SetWord24(1), 24, new byte[] { 0, 0, 0, 1 });
        Check(b => b.SetWord28(2), 28, new byte[] { 0, 0, 0, 2 });
        Check(b => b.SetWord32(3), 32, new byte[] { 0, 0, 0, 3 });
        Check(b => b.SetWord36(4), 36, new byte[] { 0, 0, 0, 4 });
        Check(b => b.SetWord40(5), 40, new byte[] { 0, 0, 0, 5 });
        Check(b => b.SetWord44(6), 44, new byte[] { 0, 0, 0, 6 });
        Check(b => b.SetIsidTsih(0x010203040506UL, 0x0708), 8, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        Check(b => b.SetCdb(new byte[] { 0x28, 0, 0, 0, 0, 1 }), 32, new byte[] { 0x28, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
    }

    [Fact]
    public void Init_ClearsEverything()
    {
        var bytes = Pattern();
        new BhsBuilder(bytes).Init(Opcode.NopIn, 0x80);
        Assert.Equal(0x20, bytes[0]);
        Assert.Equal(0x80, bytes[1]);
        Assert.All(bytes[2..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void IsidTsih_RoundTrip()
    {
        var bytes = new byte[48];
        new BhsBuilder(bytes).SetIsidTsih(0xFFFFFFFFFFFFUL, 0xFFFF);
        Assert.Equal(0xFFFFFFFFFFFFUL, new Bhs(bytes).Isid);
        Assert.Equal(0xFFFF, new Bhs(bytes).Tsih);
        new BhsBuilder(bytes).SetIsidTsih(0x400001370000UL, 0x0001);
        Assert.Equal(0x400001370000UL, new Bhs(bytes).Isid);
        Assert.Equal(1, new Bhs(bytes).Tsih);
        Assert.Equal(0x40, bytes[8]); // ISID type/A field comes first on the wire
    }

    [Fact]
    public void DataSegmentLength_24BitMax()
    {
        var bytes = new byte[48];
        new BhsBuilder(bytes).SetDataSegmentLength(0xFFFFFF);
        Assert.Equal(0xFFFFFF, new Bhs(bytes).DataSegmentLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BhsBuilder(new byte[48]).SetDataSegmentLength(0x1000000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BhsBuilder(new byte[48]).SetDataSegmentLength(-1));
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
    }
}
