using System.Buffers.Binary;
using SharpSan.Protocol;

namespace SharpSan.Testing;

/// <summary>One PDU <see cref="RawInitiator"/> received, copied out of the stream: its 48-byte header
/// and data segment, with the header's fields and the typed PDU views of src/SharpSan.Protocol/Pdus.</summary>
public sealed record RawPdu(byte[] Header, byte[] Data)
{
    public Opcode Opcode => (Opcode)(Header[0] & 0x3F);
    public byte Flags => Header[1];
    public byte Byte2 => Header[2];
    /// <summary>Byte 3: the SCSI status of a SCSI Response or a Data-In with status.</summary>
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

    /// <summary>StatSN, which every target PDU carries in the same place.</summary>
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

    /// <summary>The data segment as text keys, in order.</summary>
    public List<KeyValuePair<string, string>> KeyList => TextKeyValues.Parse(Data);

    /// <summary>The data segment as text keys (the last value of a repeated key).</summary>
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
