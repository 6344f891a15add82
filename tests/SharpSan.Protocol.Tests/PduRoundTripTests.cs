namespace SharpSan.Protocol.Tests;

/// <summary>
/// Each typed PDU against its RFC 7143 §11 layout. Every field gets the value of its own byte offsets
/// (a field at bytes 20-23 holds 0x14151617), so after encoding, byte i of a field equals i; reserved
/// bytes must come out 0 even over a buffer full of 0xEE; decoding gives the PDU back.
/// </summary>
public class PduRoundTripTests
{
    private const ulong Lun = 0x08090A0B0C0D0E0F;
    private const uint W16 = 0x10111213, W20 = 0x14151617, W24 = 0x18191A1B, W28 = 0x1C1D1E1F;
    private const uint W32 = 0x20212223, W36 = 0x24252627, W40 = 0x28292A2B, W44 = 0x2C2D2E2F;

    private delegate void Encoder(Span<byte> bhs);

    /// <summary>Encodes over a dirty buffer (at an offset, with bytes after it) and checks the layout:
    /// bytes 0-3 as given, DataSegmentLength, fields in <paramref name="fields"/> equal to their offset,
    /// everything else from byte 4 zero.</summary>
    private static byte[] Encode(Encoder encode, byte b0, byte b1, byte b2, byte b3, int dataSegmentLength, params (int From, int To)[] fields)
        => EncodeCore(encode, b0, b1, b2, b3, dataSegmentLength, reservedItt: false, fields);

    /// <summary>As above, for Reject and Async Message, whose ITT is always 0xffffffff.</summary>
    private static byte[] EncodeReservedItt(Encoder encode, byte b0, byte b1, byte b2, byte b3, int dataSegmentLength, params (int From, int To)[] fields)
        => EncodeCore(encode, b0, b1, b2, b3, dataSegmentLength, reservedItt: true, fields);

    private static byte[] EncodeCore(Encoder encode, byte b0, byte b1, byte b2, byte b3, int dataSegmentLength, bool reservedItt, (int From, int To)[] fields)
    {
        var buffer = new byte[3 + 48 + 5];
        Array.Fill(buffer, (byte)0xEE);
        encode(buffer.AsSpan(3));
        Assert.All(buffer[..3], b => Assert.Equal(0xEE, b));
        Assert.All(buffer[51..], b => Assert.Equal(0xEE, b));
        var h = buffer[3..51];
        Assert.Equal(new[] { b0, b1, b2, b3 }, h[..4]);
        Assert.Equal(0, h[4]); // TotalAHSLength
        Assert.Equal(dataSegmentLength, new Bhs(h).DataSegmentLength);
        for (int i = 8; i < 48; i++)
        {
            if (reservedItt && i is >= 16 and < 20)
            {
                Assert.Equal(0xFF, h[i]);
                continue;
            }
            bool inField = false;
            foreach (var (from, to) in fields) inField |= i >= from && i < to;
            Assert.True(inField ? h[i] == i : h[i] == 0, $"byte {i} is 0x{h[i]:x2}");
        }
        return h;
    }

    [Fact]
    public void ScsiCommand()
    {
        var cdb = new byte[16];
        for (int i = 0; i < 16; i++) cdb[i] = (byte)(32 + i);
        // A ref struct (the CDB is a span), so it is built inside the lambda.
        var h = Encode(b => new ScsiCommandPdu
        {
            Immediate = true, Final = true, Read = true, Write = false, Attribute = ScsiTaskAttribute.HeadOfQueue,
            Lun = Lun, InitiatorTaskTag = W16, ExpectedDataTransferLength = W20, Sequence = new(W24, W28), Cdb = cdb,
        }.Encode(b, 0x123456), 0x41, 0xC3, 0, 0, 0x123456, (8, 48));
        var d = ScsiCommandPdu.Decode(h);
        Assert.True(d.Immediate && d.Final && d.Read && !d.Write);
        Assert.Equal(ScsiTaskAttribute.HeadOfQueue, d.Attribute);
        Assert.Equal((Lun, W16, W20, W24, W28), (d.Lun, d.InitiatorTaskTag, d.ExpectedDataTransferLength, d.Sequence.CmdSN, d.Sequence.ExpStatSN));
        Assert.Equal(cdb, d.Cdb.ToArray());
        Assert.Equal(d.Cdb.ToArray(), ScsiCommandPdu.Decode(new Bhs(h)).Cdb.ToArray());
    }

    [Fact]
    public void ScsiCommand_ShortCdbIsZeroPadded_AndWriteSetsW()
    {
        var pdu = new ScsiCommandPdu { Write = true, Attribute = ScsiTaskAttribute.Simple, Cdb = new byte[] { 0x2A, 1, 2 } };
        var h = new byte[48];
        Array.Fill(h, (byte)0xEE);
        pdu.Encode(h, 512);
        Assert.Equal(0x01, h[0]);
        Assert.Equal(0x21, h[1]);
        Assert.Equal(new byte[] { 0x2A, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, h[32..48]);
        Assert.Throws<ArgumentException>(() => new ScsiCommandPdu { Cdb = new byte[17] }.Encode(new byte[48], 0));
    }

    [Fact]
    public void ScsiResponse()
    {
        var pdu = new ScsiResponsePdu
        {
            BidirectionalReadResidualOverflow = true, BidirectionalReadResidualUnderflow = false,
            ResidualOverflow = false, ResidualUnderflow = true, Response = ScsiResponseCode.TargetFailure, Status = 0x02,
            InitiatorTaskTag = W16, SnackTag = W20, Sequence = new(W24, W28, W32),
            ExpDataSN = W36, BidirectionalReadResidualCount = W40, ResidualCount = W44,
        };
        var h = Encode(b => pdu.Encode(b, 18), 0x21, 0x92, 0x01, 0x02, 18, (16, 48));
        Assert.Equal(pdu, ScsiResponsePdu.Decode(h));
        Assert.Equal(pdu, ScsiResponsePdu.Decode(new Bhs(h)));
    }

    [Fact]
    public void DataOut()
    {
        var pdu = new DataOutPdu { Final = true, Lun = Lun, InitiatorTaskTag = W16, TargetTransferTag = W20, ExpStatSN = W28, DataSN = W36, BufferOffset = W40 };
        var h = Encode(b => pdu.Encode(b, 8192), 0x05, 0x80, 0, 0, 8192, (8, 24), (28, 32), (36, 44));
        Assert.Equal(pdu, DataOutPdu.Decode(h));
        Assert.Equal(pdu with { Final = false }, DataOutPdu.Decode(Encode(b => (pdu with { Final = false }).Encode(b, 1), 0x05, 0x00, 0, 0, 1, (8, 24), (28, 32), (36, 44))));
    }

    [Fact]
    public void DataIn()
    {
        var pdu = new DataInPdu
        {
            Final = true, Acknowledge = true, ResidualOverflow = true, ResidualUnderflow = false, StatusPresent = true, Status = 0x18,
            Lun = Lun, InitiatorTaskTag = W16, TargetTransferTag = W20, Sequence = new(W24, W28, W32),
            DataSN = W36, BufferOffset = W40, ResidualCount = W44,
        };
        var h = Encode(b => pdu.Encode(b, 65536), 0x25, 0xC5, 0, 0x18, 65536, (8, 48));
        Assert.Equal(pdu, DataInPdu.Decode(h));
        var under = pdu with { Acknowledge = false, ResidualOverflow = false, ResidualUnderflow = true };
        Assert.Equal(0x83, Encode(b => under.Encode(b, 4), 0x25, 0x83, 0, 0x18, 4, (8, 48))[1]);
    }

    [Fact]
    public void R2t()
    {
        var pdu = new R2tPdu
        {
            Lun = Lun, InitiatorTaskTag = W16, TargetTransferTag = W20, Sequence = new(W24, W28, W32),
            R2TSN = W36, BufferOffset = W40, DesiredDataTransferLength = W44,
        };
        var h = Encode(b => pdu.Encode(b), 0x31, 0x80, 0, 0, 0, (8, 48));
        Assert.Equal(pdu, R2tPdu.Decode(h));
    }

    [Fact]
    public void TaskManagementRequest()
    {
        var pdu = new TaskManagementRequestPdu
        {
            Immediate = true, Function = TaskManagementFunction.AbortTask, Lun = Lun, InitiatorTaskTag = W16,
            ReferencedTaskTag = W20, Sequence = new(W24, W28), RefCmdSN = W32, ExpDataSN = W36,
        };
        var h = Encode(b => pdu.Encode(b), 0x42, 0x81, 0, 0, 0, (8, 40));
        Assert.Equal(pdu, TaskManagementRequestPdu.Decode(h));
        var reset = pdu with { Immediate = false, Function = TaskManagementFunction.TargetColdReset };
        Assert.Equal(reset, TaskManagementRequestPdu.Decode(Encode(b => reset.Encode(b), 0x02, 0x87, 0, 0, 0, (8, 40))));
    }

    [Fact]
    public void TaskManagementResponse()
    {
        var pdu = new TaskManagementResponsePdu
        {
            Response = TaskManagementResponseCode.FunctionRejected, InitiatorTaskTag = W16, Sequence = new(W24, W28, W32),
        };
        var h = Encode(b => pdu.Encode(b), 0x22, 0x80, 0xFF, 0, 0, (16, 20), (24, 36));
        Assert.Equal(pdu, TaskManagementResponsePdu.Decode(h));
    }

    [Fact]
    public void TextRequest()
    {
        var pdu = new TextRequestPdu
        {
            Immediate = true, Final = false, Continue = true, Lun = Lun, InitiatorTaskTag = W16, TargetTransferTag = W20, Sequence = new(W24, W28),
        };
        var h = Encode(b => pdu.Encode(b, 300), 0x44, 0x40, 0, 0, 300, (8, 32));
        Assert.Equal(pdu, TextRequestPdu.Decode(h));
    }

    [Fact]
    public void TextResponse()
    {
        var pdu = new TextResponsePdu
        {
            Final = true, Continue = false, Lun = Lun, InitiatorTaskTag = W16, TargetTransferTag = W20, Sequence = new(W24, W28, W32),
        };
        var h = Encode(b => pdu.Encode(b, 7), 0x24, 0x80, 0, 0, 7, (8, 36));
        Assert.Equal(pdu, TextResponsePdu.Decode(h));
    }

    [Fact]
    public void LoginRequest()
    {
        var pdu = new LoginRequestPdu
        {
            Transit = true, Continue = false, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase,
            VersionMax = 0x02, VersionMin = 0x03, Isid = 0x08090A0B0C0D, Tsih = 0x0E0F, InitiatorTaskTag = W16, Cid = 0x1415,
            Sequence = new(W24, W28),
        };
        var h = Encode(b => pdu.Encode(b, 395), 0x43, 0x87, 0x02, 0x03, 395, (8, 22), (24, 32));
        Assert.Equal(pdu, LoginRequestPdu.Decode(h));
        var cont = pdu with { Transit = false, Continue = true, CurrentStage = LoginStage.SecurityNegotiation, NextStage = LoginStage.SecurityNegotiation };
        Assert.Equal(cont, LoginRequestPdu.Decode(Encode(b => cont.Encode(b, 395), 0x43, 0x40, 0x02, 0x03, 395, (8, 22), (24, 32))));
    }

    [Fact]
    public void LoginResponse()
    {
        var pdu = new LoginResponsePdu
        {
            Transit = true, Continue = true, CurrentStage = LoginStage.SecurityNegotiation, NextStage = LoginStage.LoginOperationalNegotiation,
            VersionMax = 0x02, VersionActive = 0x03, Isid = 0x08090A0B0C0D, Tsih = 0x0E0F, InitiatorTaskTag = W16,
            Sequence = new(W24, W28, W32), Status = (LoginStatus)0x2425,
        };
        var h = Encode(b => pdu.Encode(b, 1), 0x23, 0xC1, 0x02, 0x03, 1, (8, 20), (24, 38));
        Assert.Equal(pdu, LoginResponsePdu.Decode(h));
    }

    [Fact]
    public void LogoutRequest()
    {
        var pdu = new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.RemoveConnectionForRecovery, InitiatorTaskTag = W16, Cid = 0x1415, Sequence = new(W24, W28) };
        var h = Encode(b => pdu.Encode(b), 0x46, 0x82, 0, 0, 0, (16, 22), (24, 32));
        Assert.Equal(pdu, LogoutRequestPdu.Decode(h));
    }

    [Fact]
    public void LogoutResponse()
    {
        var pdu = new LogoutResponsePdu
        {
            Response = LogoutResponseCode.CleanupFailed, InitiatorTaskTag = W16, Sequence = new(W24, W28, W32),
            Time2Wait = 0x2829, Time2Retain = 0x2A2B,
        };
        var h = Encode(b => pdu.Encode(b), 0x26, 0x80, 0x03, 0, 0, (16, 20), (24, 36), (40, 44));
        Assert.Equal(pdu, LogoutResponsePdu.Decode(h));
    }

    [Fact]
    public void NopOut()
    {
        var pdu = new NopOutPdu { Immediate = true, Lun = Lun, InitiatorTaskTag = W16, TargetTransferTag = W20, Sequence = new(W24, W28) };
        var h = Encode(b => pdu.Encode(b, 5), 0x40, 0x80, 0, 0, 5, (8, 32));
        Assert.Equal(pdu, NopOutPdu.Decode(h));
    }

    [Fact]
    public void NopIn()
    {
        var pdu = new NopInPdu { Lun = Lun, InitiatorTaskTag = W16, TargetTransferTag = W20, Sequence = new(W24, W28, W32) };
        var h = Encode(b => pdu.Encode(b, 0), 0x20, 0x80, 0, 0, 0, (8, 36));
        Assert.Equal(pdu, NopInPdu.Decode(h));
    }

    [Fact]
    public void Reject()
    {
        var pdu = new RejectPdu { Reason = RejectReason.InvalidPduField, Sequence = new(W24, W28, W32), DataSNOrR2TSN = W36 };
        var h = EncodeReservedItt(b => pdu.Encode(b, 48), 0x3F, 0x80, 0x09, 0, 48, (24, 40));
        Assert.Equal(pdu, RejectPdu.Decode(h));
        Assert.Equal(Bhs.ReservedTag, new Bhs(h).InitiatorTaskTag);
    }

    [Fact]
    public void AsyncMessage()
    {
        var pdu = new AsyncMessagePdu
        {
            Lun = Lun, Sequence = new(W24, W28, W32), AsyncEvent = (AsyncEvent)0x24, AsyncVCode = 0x25,
            Parameter1 = 0x2627, Parameter2 = 0x2829, Parameter3 = 0x2A2B,
        };
        var h = EncodeReservedItt(b => pdu.Encode(b, 0), 0x32, 0x80, 0, 0, 0, (8, 16), (24, 44));
        Assert.Equal(pdu, AsyncMessagePdu.Decode(h));
    }

    [Fact]
    public void SnackRequest()
    {
        var pdu = new SnackRequestPdu
        {
            Type = SnackType.RData, Lun = Lun, InitiatorTaskTag = W16, TargetTransferTagOrSnackTag = W20, ExpStatSN = W28, BegRun = W40, RunLength = W44,
        };
        var h = Encode(b => pdu.Encode(b, 0), 0x10, 0x83, 0, 0, 0, (8, 24), (28, 32), (40, 48));
        Assert.Equal(pdu, SnackRequestPdu.Decode(h));
    }

    [Fact]
    public void TargetSequenceNumbers_OverwriteOnlyBytes24To35()
    {
        var h = new byte[48];
        new R2tPdu { InitiatorTaskTag = W16, R2TSN = W36 }.Encode(h);
        new TargetSequenceNumbers(W24, W28, W32).WriteTo(h);
        Assert.Equal(new R2tPdu { InitiatorTaskTag = W16, Sequence = new(W24, W28, W32), R2TSN = W36 }, R2tPdu.Decode(h));
        Assert.Equal(new TargetSequenceNumbers(W24, W28, W32), TargetSequenceNumbers.Read(h));
    }

    [Fact]
    public void EnumValues_FollowTheRfc()
    {
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x0A, 0x0B, 0x0C },
            Enum.GetValues<RejectReason>().Select(r => (byte)r).ToArray());
        Assert.Equal(0x04, (byte)RejectReason.ProtocolError);
        Assert.Equal(0x09, (byte)RejectReason.InvalidPduField);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 0xFF }, Enum.GetValues<AsyncEvent>().Select(e => (byte)e).ToArray());
        Assert.Equal(3, (byte)LoginStage.FullFeaturePhase);
        Assert.Equal(5, (byte)TaskManagementFunction.LogicalUnitReset);
    }

    [Fact]
    public void ShortSpans_Throw()
    {
        Assert.Throws<ArgumentException>(() => R2tPdu.Decode(new byte[47]));
        Assert.Throws<ArgumentException>(() => ScsiCommandPdu.Decode(new byte[47]));
        Assert.ThrowsAny<ArgumentException>(() => new NopInPdu().Encode(new byte[47], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataInPdu().Encode(new byte[48], 0x1000000));
    }
}
