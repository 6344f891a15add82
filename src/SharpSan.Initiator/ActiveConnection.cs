using System.Threading.Channels;

namespace SharpSan.Initiator;

/// <summary>One logged-in connection of a session and what belongs to it alone: its generation
/// (a PDU or queued work of an older one is ignored), its negotiated parameters, and the queue of
/// work its receive loop hands to its sender loop.</summary>
internal sealed class ActiveConnection
{
    public ActiveConnection(InitiatorConnection connection, Channel<OutboundWork> outbound, NegotiatedParameters parameters, int generation)
    {
        Connection = connection;
        Outbound = outbound;
        Parameters = parameters;
        Generation = generation;
    }

    public InitiatorConnection Connection { get; }
    public Channel<OutboundWork> Outbound { get; }
    public NegotiatedParameters Parameters { get; }
    public int Generation { get; }
}
