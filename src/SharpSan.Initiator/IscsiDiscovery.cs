using System.Net;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>SendTargets discovery (RFC 7143 §4.3, Appendix C): a discovery session that asks a portal
/// which targets it offers, then logs out.</summary>
public static class IscsiDiscovery
{
    /// <summary>Logs in with SessionType=Discovery (CHAP when <see cref="InitiatorOptions.Chap"/> is set),
    /// sends SendTargets=All, follows Text Response continuations (C bit), and logs out.</summary>
    public static async Task<IReadOnlyList<DiscoveredTarget>> SendTargetsAsync(IPEndPoint portal, InitiatorOptions options, CancellationToken cancellationToken = default)
    {
        var o = options.Clone();
        var (conn, outcome) = await LoginConnector.ConnectAsync(portal, o, targetName: null, cancellationToken);
        await using var _ = conn;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.LoginTimeout);
        var ct = timeout.Token;
        conn.HeaderDigest = outcome.Parameters.HeaderDigest;
        conn.DataDigest = outcome.Parameters.DataDigest;
        conn.MaxRecvDataSegmentLength = outcome.Parameters.MaxRecvDataSegmentLength;

        uint cmdSN = outcome.ExpCmdSN, expStatSN = outcome.ExpStatSN;
        const uint itt = 1;
        uint ttt = Bhs.ReservedTag;
        var text = new MemoryStream();
        var payload = TextKeyValues.Encode(new[] { new KeyValuePair<string, string>(NegotiationKeys.SendTargets, "All") });
        try
        {
            for (int round = 0; ; round++)
            {
                if (round > 1024) throw new IscsiSessionException("SendTargets answer did not end after 1024 continuations");
                var header = new byte[Bhs.Length];
                // §11.10: Text Request with F=1; an empty request with the target's TTT asks for the next part.
                new TextRequestPdu { Final = true, InitiatorTaskTag = itt, TargetTransferTag = ttt, Sequence = new(cmdSN, expStatSN) }
                    .Encode(header, payload.Length);
                await conn.SendAsync(header, payload, ct);
                cmdSN++;
                var rsp = await ReceiveTextResponseAsync(conn, itt, ct);
                var answer = TextResponsePdu.Decode(rsp.Header);
                expStatSN = answer.Sequence.StatSN + 1;
                text.Write(rsp.Data);
                if (!answer.Continue) break;
                ttt = answer.TargetTransferTag;
                payload = Array.Empty<byte>();
            }
            await LogoutAsync(conn, cmdSN, expStatSN, ct);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"discovery at {portal} did not complete within {o.LoginTimeout.TotalSeconds:0.#} s", ex);
        }
        return Parse(TextKeyValues.Parse(text.ToArray()));
    }

    private static async Task<ReceivedPdu> ReceiveTextResponseAsync(InitiatorConnection conn, uint itt, CancellationToken ct)
    {
        while (true)
        {
            var rsp = await conn.ReceiveAsync(ct);
            switch (rsp.Opcode)
            {
                case Opcode.TextResponse when rsp.Bhs.InitiatorTaskTag == itt:
                    return rsp;
                case Opcode.NopIn:
                case Opcode.AsyncMessage:
                    continue; // a discovery session is short; pings are not answered
                case Opcode.Reject:
                    throw new IscsiSessionException($"the target rejected the SendTargets request (reason 0x{(byte)RejectPdu.Decode(rsp.Header).Reason:x2})");
                default:
                    throw new IscsiSessionException($"unexpected {rsp.Opcode} during discovery");
            }
        }
    }

    private static async Task LogoutAsync(InitiatorConnection conn, uint cmdSN, uint expStatSN, CancellationToken ct)
    {
        var header = new byte[Bhs.Length];
        // §11.14: reason 0, close the session.
        new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.CloseSession, InitiatorTaskTag = 2, Sequence = new(cmdSN, expStatSN) }
            .Encode(header);
        await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, ct);
        try
        {
            while ((await conn.ReceiveAsync(ct)).Opcode != Opcode.LogoutResponse)
            {
            }
        }
        catch (EndOfStreamException)
        {
            // The target may close at once; the session is over either way.
        }
    }

    /// <summary>Each TargetName starts a record; the TargetAddress keys that follow belong to it.</summary>
    internal static List<DiscoveredTarget> Parse(List<KeyValuePair<string, string>> keys)
    {
        var result = new List<DiscoveredTarget>();
        string? name = null;
        List<string> addresses = new();
        foreach (var (k, v) in keys)
        {
            if (k == NegotiationKeys.TargetName)
            {
                if (name is not null) result.Add(new DiscoveredTarget(name, addresses));
                name = v;
                addresses = new List<string>();
            }
            else if (k == NegotiationKeys.TargetAddress && name is not null)
            {
                addresses.Add(v);
            }
        }
        if (name is not null) result.Add(new DiscoveredTarget(name, addresses));
        return result;
    }
}
