namespace SharpSan.Target.Tests;

/// <summary>
/// The shared <see cref="RawInitiator"/> (tests/Shared) under the name and method names these tests
/// were written with: a 15 s receive timeout, <see cref="Write10"/> answering R2Ts only
/// (<see cref="RawInitiator.Write10Solicited"/>) and <see cref="Read10"/> returning every PDU
/// (<see cref="RawInitiator.Read10Pdus"/>). The statics are repeated here because
/// <c>using static SharpSan.Target.Tests.TestInitiator;</c> does not import inherited members.
/// No PDU logic lives here.
/// </summary>
internal sealed class TestInitiator(int port, string host = "127.0.0.1", int receiveTimeoutMs = 15000)
    : RawInitiator(port, host, receiveTimeoutMs)
{
    public new const string DefaultInitiator = RawInitiator.DefaultInitiator;

    public static new readonly byte[] TestUnitReady = RawInitiator.TestUnitReady;

    public static new List<KeyValuePair<string, string>> Kv(params string[] pairs) => RawInitiator.Kv(pairs);

    public static new List<KeyValuePair<string, string>> NormalKeys(string target, string initiator = DefaultInitiator, params string[] extra)
        => RawInitiator.NormalKeys(target, initiator, extra);

    public static new string[] StandardOperational(int firstBurst = 65536, int maxBurst = 262144, string initialR2T = "No",
        string immediateData = "Yes", int maxOutstandingR2T = 4, int mrdsl = 262144)
        => RawInitiator.StandardOperational(firstBurst, maxBurst, initialR2T, immediateData, maxOutstandingR2T, mrdsl);

    public static byte[] Cdb10(byte opcode, uint lba, ushort blocks) => RawInitiator.Cdb10(opcode, lba, blocks);

    public static new byte[] Gather(List<RawPdu> dataIns, int size) => RawInitiator.Gather(dataIns, size);

    /// <summary><see cref="RawInitiator.Write10Solicited"/>: no immediate or unsolicited data.</summary>
    public RawPdu Write10(uint lba, byte[] data, int segment = 8192) => Write10Solicited(lba, data, segment);

    /// <summary><see cref="RawInitiator.Read10Pdus"/>: every PDU until status.</summary>
    public List<RawPdu> Read10(uint lba, ushort blocks, uint edtl) => Read10Pdus(lba, blocks, edtl);
}
