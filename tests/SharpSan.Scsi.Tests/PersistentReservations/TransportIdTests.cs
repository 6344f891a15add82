using System.Text;

namespace SharpSan.Scsi.Tests.PersistentReservations;

/// <summary>iSCSI TransportIDs (SPC-4 7.6.4.6) and the I_T nexuses a registration covers.</summary>
public sealed class TransportIdTests
{
    [Fact]
    public void A_port_transport_id_is_read_with_its_isid_normalised()
    {
        byte[] id = Pr.TransportId("iqn.2026-01.test:b,I,0X23000000000A");
        Assert.Equal(id.Length, IscsiTransportId.Parse(id, out string name, out string? isid, out _, out _));
        Assert.Equal(("iqn.2026-01.test:b", "23000000000a"), (name, isid));
    }

    [Fact]
    public void A_device_transport_id_covers_every_port_of_the_initiator()
    {
        byte[] id = Pr.TransportId("iqn.2026-01.test:b");
        Assert.Equal(24, IscsiTransportId.Parse(id, out string name, out string? isid, out _, out _));
        Assert.Null(isid);
        var registration = new Registration(name, isid, Harness.NexusB.TargetPortName, 1, false, 1);
        Assert.True(registration.Matches(Harness.NexusB));
        Assert.False(registration.Matches(Harness.NexusA));
        Assert.False(registration.Matches(Pr.NexusA2));
        Assert.False(new Registration("iqn.2026-01.test:", null, Harness.NexusB.TargetPortName, 1, false, 1).Matches(Harness.NexusB));
    }

    [Theory]
    [InlineData(new byte[] { 0x05, 0, 0, 20, (byte)'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, -1, 0)]   // ok: "x"
    [InlineData(new byte[] { 0x85, 0, 0, 20, (byte)'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0, 7)]   // format 10b
    [InlineData(new byte[] { 0x05, 0, 0, 16, (byte)'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 2, -1)]             // shorter than 20
    [InlineData(new byte[] { 0x05, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 2, -1)]            // empty name
    [InlineData(new byte[] { 0x45, 0, 0, 20, (byte)'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 4, -1)]   // port format without ISID
    public void A_malformed_transport_id_points_at_its_field(byte[] id, int errorByte, int errorBit)
    {
        int length = IscsiTransportId.Parse(id, out _, out _, out int actualByte, out int actualBit);
        if (errorByte < 0)
        {
            Assert.Equal(24, length);
            return;
        }

        Assert.Equal(-1, length);
        Assert.Equal((errorByte, errorBit), (actualByte, actualBit));
    }

    [Fact]
    public void A_transport_id_longer_than_its_list_does_not_fit()
    {
        byte[] id = Pr.TransportId("iqn.2026-01.test:b");
        Assert.Equal(-2, IscsiTransportId.Parse(id.AsSpan(0, 10), out _, out _, out _, out _));
    }

    [Fact]
    public void Written_transport_ids_are_null_terminated_and_padded_to_four_bytes()
    {
        var registration = Registration.For(Harness.NexusA, false, 1);
        var buffer = new byte[300];
        int length = IscsiTransportId.Write(registration, buffer);
        Assert.Equal(0, length % 4);
        Assert.Equal(length, IscsiTransportId.Parse(buffer.AsSpan(0, length), out string name, out string? isid, out _, out _));
        Assert.Equal(Harness.NexusA.InitiatorPortName, name + ",i,0x" + isid);
        Assert.Equal(0, buffer[4 + Encoding.UTF8.GetByteCount(Harness.NexusA.InitiatorPortName)]);
    }
}
