using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>A PDU copied out of the stream, for the login and text phases where copies are cheap.</summary>
internal sealed record ReceivedPdu(byte[] Header, byte[] Data)
{
    public Opcode Opcode => (Opcode)(Header[0] & 0x3F);
    public Bhs Bhs => new(Header);
}
