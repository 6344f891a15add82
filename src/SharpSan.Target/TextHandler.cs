using System.Net;
using System.Net.Sockets;
using SharpSan.Target.Runtime;

namespace SharpSan.Target;

/// <summary>
/// Text requests of a connection (RFC 7143 §11.10, §11.11) — in practice SendTargets (§12.3 / Appendix
/// C): collects a request continued over several PDUs, answers with the targets this initiator may see,
/// and sends a long answer in pieces the initiator asks for one by one.
/// </summary>
internal sealed class TextHandler
{
    private const int MaxTextRequest = 64 * 1024;

    private readonly IscsiConnection _connection;
    private readonly ConnectionWriter _writer;
    private readonly byte[] _rxHeader;
    private readonly MemoryStream _textRequest = new();
    private uint _textRequestTag = Bhs.ReservedTag;
    private byte[]? _pendingText;
    private int _pendingTextOffset;
    private uint _pendingTextTag;

    public TextHandler(IscsiConnection connection, ConnectionWriter writer)
    {
        _connection = connection;
        _writer = writer;
        _rxHeader = connection.ReceivedHeader;
    }

    /// <summary>
    /// Text request (§11.10, §11.11). Responses longer than the initiator's MaxRecvDataSegmentLength go
    /// out in pieces with C=1 and a target transfer tag; the initiator asks for the next piece with an
    /// empty request carrying that tag.
    /// </summary>
    public async ValueTask HandleAsync(PduFrame frame)
    {
        var request = TextRequestPdu.Decode(_rxHeader);
        uint itt = request.InitiatorTaskTag, ttt = request.TargetTransferTag;
        bool cont = request.Continue;
        if (!_connection.Session!.AcceptCmdSN(request.Sequence.CmdSN, request.Immediate, consumesSlot: false)) return;

        if (ttt != Bhs.ReservedTag)
        {
            if (_pendingText is not null && ttt == _pendingTextTag)
            {
                // The initiator asks for the next piece of our response.
                await SendPieceAsync(itt);
                return;
            }
            if (ttt != _textRequestTag || _textRequest.Length == 0)
            {
                await _connection.SendRejectAsync(RejectReason.InvalidPduField);
                return;
            }
            // §11.10.4: the rest of a continued request carries the tag of our acknowledgement.
        }
        _pendingText = null;
        if (_textRequest.Length + frame.Data.Length > MaxTextRequest)
        {
            _textRequest.SetLength(0);
            await _connection.SendRejectAsync(RejectReason.ProtocolError);
            return;
        }
        foreach (var seg in frame.Data) _textRequest.Write(seg.Span);
        if (cont)
        {
            // More request text follows (C=1): acknowledge with an empty response.
            var ack = ConnectionWriter.RentHeader();
            _textRequestTag = _connection.NextTargetTransferTag();
            new TextResponsePdu { Final = false, Continue = false, InitiatorTaskTag = itt, TargetTransferTag = _textRequestTag }.Encode(ack, 0);
            await _writer.SendAsync(ack, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance);
            return;
        }

        List<KeyValuePair<string, string>> keys;
        try
        {
            keys = TextKeyValues.Parse(_textRequest.GetBuffer().AsSpan(0, (int)_textRequest.Length));
        }
        catch (FormatException)
        {
            _textRequest.SetLength(0);
            await _connection.SendRejectAsync(RejectReason.ProtocolError);
            return;
        }
        _textRequest.SetLength(0);

        var response = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in keys)
        {
            if (k == NegotiationKeys.SendTargets) AppendSendTargets(v, response);
            else response.Add(new(k, "NotUnderstood"));
        }
        _pendingText = TextKeyValues.Encode(response);
        _pendingTextOffset = 0;
        await SendPieceAsync(itt);
    }

    private async ValueTask SendPieceAsync(uint itt)
    {
        var text = _pendingText!;
        int length = _connection.Limits!.ClampToPeerSegment(text.Length - _pendingTextOffset);
        bool last = _pendingTextOffset + length >= text.Length;
        if (!last) _pendingTextTag = _connection.NextTargetTransferTag();
        var h = ConnectionWriter.RentHeader();
        new TextResponsePdu
        {
            // The last piece has F=1 and no tag; earlier ones C=1 and the tag that asks for the next (§11.11).
            Final = last,
            Continue = !last,
            InitiatorTaskTag = itt,
            TargetTransferTag = last ? Bhs.ReservedTag : _pendingTextTag,
        }.Encode(h, length);
        var piece = text.AsMemory(_pendingTextOffset, length);
        _pendingTextOffset += length;
        if (last) _pendingText = null;
        await _writer.SendAsync(h, piece, StatSnUse.Advance);
    }

    /// <summary>
    /// SendTargets (Appendix C): All lists every target this initiator may log in to (an ACL entry
    /// or demo mode), each with TargetAddress=ip:port,tag for every enabled TPG portal; a name lists
    /// that target; empty lists the session's target. A wildcard portal answers with the address the
    /// initiator connected to.
    /// </summary>
    private void AppendSendTargets(string value, List<KeyValuePair<string, string>> response)
    {
        var session = _connection.Session!;
        var topology = _connection.Server.Topology;
        var local = _connection.Local;
        IEnumerable<IscsiTargetNode> targets;
        if (session.IsDiscovery)
        {
            targets = value == "All"
                ? topology.Targets.Values.OrderBy(t => t.Name, StringComparer.Ordinal)
                : topology.Targets.TryGetValue(value, out var one) ? new[] { one } : Array.Empty<IscsiTargetNode>();
        }
        else
        {
            // In a normal session only the session's own target is reported.
            var own = session.Tpg!.Target;
            targets = value.Length == 0 || value == "All" || value == own.Name ? new[] { own } : Array.Empty<IscsiTargetNode>();
        }
        foreach (var target in targets)
        {
            var addresses = new List<string>();
            foreach (var tpg in target.Tpgs)
            {
                if (!Advertised(tpg, session.InitiatorName)) continue;
                foreach (var portal in tpg.Portals)
                {
                    var address = portal.Address.Equals(IPAddress.Any) || portal.Address.Equals(IPAddress.IPv6Any)
                        ? (local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address)
                        : portal.Address;
                    var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
                    addresses.Add($"{host}:{portal.Port},{tpg.Tag}");
                }
            }
            if (addresses.Count == 0) continue;
            response.Add(new(NegotiationKeys.TargetName, target.Name));
            foreach (var a in addresses) response.Add(new(NegotiationKeys.TargetAddress, a));
        }
    }

    /// <summary>
    /// Whether SendTargets lists <paramref name="tpg"/> to this initiator. LIO
    /// (iscsit_build_sendtargets_response) hides a TPG only when generate_node_acls=0 AND
    /// demo_mode_discovery=0 AND the initiator has no node ACL, and a disabled TPG only while
    /// tpg_enabled_sendtargets=1. A tgt target follows tgt's rule instead (target_list_build): listed
    /// when the initiator's address or name is allowed in.
    /// </summary>
    private bool Advertised(TargetPortalGroup tpg, string initiatorName)
    {
        if (tpg.Access is { } access)
            return access.Allows(_connection.Remote.Address, initiatorName);
        if (!tpg.GenerateNodeAcls && !tpg.DemoModeDiscovery && !tpg.Acls.ContainsKey(initiatorName)) return false;
        return tpg.Enabled || !tpg.EnabledSendTargets;
    }
}
