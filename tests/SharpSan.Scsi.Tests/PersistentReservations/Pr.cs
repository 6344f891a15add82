using System.Buffers.Binary;
using System.Text;

namespace SharpSan.Scsi.Tests.PersistentReservations;

/// <summary>Builds PERSISTENT RESERVE IN/OUT commands and reads their data (SPC-4 6.15, 6.16).</summary>
internal static class Pr
{
    public const byte Register = 0, Reserve = 1, Release = 2, Clear = 3, Preempt = 4, PreemptAndAbort = 5, RegisterAndIgnore = 6, RegisterAndMove = 7;
    public const byte WE = 1, EA = 3, WERO = 5, EARO = 6, WEAR = 7, EAAR = 8;

    /// <summary>A nexus of initiator A through a second target port (TPG 2).</summary>
    public static readonly ItNexus NexusA2 = new("iqn.2026-01.test:a,i,0x230000000001", "iqn.2026-11.io.sharpsan:t,t,0x0002", 2, Harness.Transport);

    /// <summary>An observer that never registers, so never has a unit attention pending.</summary>
    public static readonly ItNexus NexusC = new("iqn.2026-01.test:c,i,0x230000000003", "iqn.2026-11.io.sharpsan:t,t,0x0001", 1, Harness.Transport);

    public static byte[] InCdb(byte serviceAction, ushort allocation = 8192) =>
        Harness.Cdb(0x5E, serviceAction, 0, 0, 0, 0, 0, allocation >> 8, allocation & 0xFF, 0);

    public static byte[] OutCdb(byte serviceAction, byte type, int length = 24, byte scope = 0) =>
        Harness.Cdb(0x5F, serviceAction, (scope << 4) | type, 0, 0, length >> 24, (length >> 16) & 0xFF, (length >> 8) & 0xFF, length & 0xFF, 0);

    /// <summary>The basic parameter list (SPC-4 6.16.3 table 171).</summary>
    public static byte[] List(ulong key, ulong serviceActionKey = 0, bool allTargetPorts = false, bool aptpl = false, bool specifyInitiatorPorts = false, byte[]? transportIds = null)
    {
        var list = new byte[24 + (transportIds is null ? 0 : 4 + transportIds.Length)];
        BinaryPrimitives.WriteUInt64BigEndian(list, key);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), serviceActionKey);
        list[20] = (byte)((specifyInitiatorPorts ? 0x08 : 0) | (allTargetPorts ? 0x04 : 0) | (aptpl ? 0x01 : 0));
        if (transportIds is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(24), (uint)transportIds.Length);
            transportIds.CopyTo(list, 28);
        }

        return list;
    }

    /// <summary>An iSCSI TransportID (SPC-4 7.6.4.6): format 01b when the text has ",i,0x".</summary>
    public static byte[] TransportId(string text, byte protocol = 5)
    {
        int length = Math.Max(20, (Encoding.UTF8.GetByteCount(text) + 1 + 3) & ~3);
        var id = new byte[4 + length];
        id[0] = (byte)((text.Contains(",i,0x", StringComparison.OrdinalIgnoreCase) ? 0x40 : 0x00) | protocol);
        BinaryPrimitives.WriteUInt16BigEndian(id.AsSpan(2), (ushort)length);
        Encoding.UTF8.GetBytes(text, id.AsSpan(4));
        return id;
    }

    /// <summary>REGISTER AND MOVE's list (SPC-4 6.16.4 table 173).</summary>
    public static byte[] MoveList(ulong key, ulong serviceActionKey, ushort relativeTargetPortId, byte[] transportId, bool unregister = false)
    {
        var list = new byte[24 + transportId.Length];
        BinaryPrimitives.WriteUInt64BigEndian(list, key);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), serviceActionKey);
        list[17] = (byte)(unregister ? 0x02 : 0);
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(18), relativeTargetPortId);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(20), (uint)transportId.Length);
        transportId.CopyTo(list, 24);
        return list;
    }

    public static Result Out(this Harness h, ItNexus nexus, byte serviceAction, byte type, byte[] list) =>
        h.Run(OutCdb(serviceAction, type, list.Length), list, nexus);

    public static void RegisterKey(this Harness h, ItNexus nexus, ulong key) =>
        h.Out(nexus, RegisterAndIgnore, 0, List(0, key)).AssertGood();

    public static void ReserveAs(this Harness h, ItNexus nexus, ulong key, byte type) =>
        h.Out(nexus, Reserve, type, List(key)).AssertGood();

    public static (uint Generation, ulong[] Keys) ReadKeys(this Harness h, ItNexus? nexus = null)
    {
        Result r = h.Run(InCdb(0), nexus: nexus ?? NexusC);
        r.AssertGood();
        int count = (int)BinaryPrimitives.ReadUInt32BigEndian(r.Data.AsSpan(4)) / 8;
        var keys = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = BinaryPrimitives.ReadUInt64BigEndian(r.Data.AsSpan(8 + (8 * i)));
        }

        return (BinaryPrimitives.ReadUInt32BigEndian(r.Data), keys);
    }

    /// <summary>READ RESERVATION: (key, type), or null when not reserved.</summary>
    public static (ulong Key, byte Type)? ReadReservation(this Harness h)
    {
        Result r = h.Run(InCdb(1), nexus: NexusC);
        r.AssertGood();
        return BinaryPrimitives.ReadUInt32BigEndian(r.Data.AsSpan(4)) == 0
            ? null
            : (BinaryPrimitives.ReadUInt64BigEndian(r.Data.AsSpan(8)), r.Data[21]);
    }

    public static bool Reads(this Harness h, ItNexus nexus) => h.Run(Harness.Read10(1, 1), nexus: nexus).Status == ScsiStatus.Good;

    public static bool Writes(this Harness h, ItNexus nexus) => h.Run(Harness.Write10(1, 1), new byte[512], nexus).Status == ScsiStatus.Good;

    /// <summary>Reports (and consumes) the next unit attention of <paramref name="nexus"/> with TEST UNIT READY.</summary>
    public static (byte Asc, byte Ascq)? UnitAttention(this Harness h, ItNexus nexus)
    {
        Result r = h.Run(Harness.Cdb(0, 0, 0, 0, 0, 0), nexus: nexus);
        return r.Status == ScsiStatus.CheckCondition && r.Key == SenseKey.UnitAttention ? (r.Asc, r.Ascq) : null;
    }
}
