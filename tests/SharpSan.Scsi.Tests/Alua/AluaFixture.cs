using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests.Alua;

/// <summary>A unit exported through two target ports: port 1 in group "left" (id 1), port 2 in
/// "right" (id 2), as a daemon would declare them; nexuses A and B on port 1, C on port 2.</summary>
internal sealed class AluaFixture
{
    public static readonly ItNexus NexusC = new("iqn.2026-01.test:c,i,0x230000000003", "iqn.2026-11.io.sharpsan:t,t,0x0002", 2, Harness.Transport);

    public AluaFixture(AluaAccessType type = AluaAccessType.ImplicitAndExplicit, int transitionDelayMs = 0)
    {
        Harness = new Harness();
        Left = new TargetPortGroupSettings { Name = "left", Id = 1, AccessType = type, Preferred = true, TransitionDelayMs = transitionDelayMs };
        Right = new TargetPortGroupSettings { Name = "right", Id = 2, AccessType = type, State = AsymmetricAccessState.Standby, TransitionDelayMs = transitionDelayMs };
        Unit.Alua.Configure([TargetPortGroupSettings.Default, Left, Right], new Dictionary<ushort, string> { [1] = "left", [2] = "right" });
    }

    public Harness Harness { get; }
    public LogicalUnit Unit => Harness.Unit;
    public TargetPortGroupSettings Left { get; }
    public TargetPortGroupSettings Right { get; }

    public static byte[] Rtpg(bool extended = false, uint allocation = 4096) =>
        Harness.Cdb(0xA3, 0x0A | (extended ? 0x20 : 0), 0, 0, 0, 0, (int)(allocation >> 24), (int)(allocation >> 16) & 0xFF, (int)(allocation >> 8) & 0xFF, (int)allocation & 0xFF, 0, 0);

    public static byte[] Stpg(int length) =>
        Harness.Cdb(0xA4, 0x0A, 0, 0, 0, 0, length >> 24, (length >> 16) & 0xFF, (length >> 8) & 0xFF, length & 0xFF, 0, 0);

    /// <summary>A SET TARGET PORT GROUPS parameter list: header, then (state, group) descriptors.</summary>
    public static byte[] StpgList(params (AsymmetricAccessState State, ushort Group)[] descriptors)
    {
        var list = new byte[4 + (4 * descriptors.Length)];
        for (int i = 0; i < descriptors.Length; i++)
        {
            list[4 + (4 * i)] = (byte)descriptors[i].State;
            BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(6 + (4 * i)), descriptors[i].Group);
        }

        return list;
    }

    public Result SetStates(ItNexus nexus, params (AsymmetricAccessState State, ushort Group)[] descriptors)
    {
        byte[] list = StpgList(descriptors);
        return Harness.Run(Stpg(list.Length), list, nexus);
    }

    /// <summary>RTPG descriptors decoded: (state, pref, supported, id, status, ports).</summary>
    public static List<(AsymmetricAccessState State, bool Pref, byte Supported, ushort Id, byte Status, ushort[] Ports)> Decode(byte[] data, bool extended = false)
    {
        var groups = new List<(AsymmetricAccessState, bool, byte, ushort, byte, ushort[])>();
        int end = 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(data);
        for (int offset = extended ? 8 : 4; offset < end;)
        {
            int count = data[offset + 7];
            var ports = new ushort[count];
            for (int i = 0; i < count; i++)
            {
                ports[i] = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 8 + (4 * i) + 2));
            }

            groups.Add(((AsymmetricAccessState)(data[offset] & 0x0F), (data[offset] & 0x80) != 0, data[offset + 1],
                BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 2)), data[offset + 5], ports));
            offset += 8 + (4 * count);
        }

        return groups;
    }
}
