using System.Buffers;

namespace SharpSan.Protocol.Tests;

/// <summary>Byte streams extracted from /work/shared/captures by TestData/extract.py.</summary>
internal static class Captures
{
    public static byte[] Load(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));
}

/// <summary>A segment of a hand-built multi-segment <see cref="ReadOnlySequence{T}"/>.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    public TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public TestSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new TestSegment(memory, RunningIndex + Memory.Length);
        Next = next;
        return next;
    }
}

internal static class Sequences
{
    /// <summary>Builds a sequence with one segment per chunk (empty chunks kept as empty segments).</summary>
    public static ReadOnlySequence<byte> FromChunks(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.Count == 0) return ReadOnlySequence<byte>.Empty;
        var first = new TestSegment(chunks[0], 0);
        var last = first;
        for (int i = 1; i < chunks.Count; i++) last = last.Append(chunks[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cuts <paramref name="data"/> at the given offsets (ascending) into segments.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, params int[] cuts)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        int prev = 0;
        foreach (var c in cuts)
        {
            chunks.Add(data.AsMemory(prev, c - prev));
            prev = c;
        }
        chunks.Add(data.AsMemory(prev));
        return FromChunks(chunks);
    }

    /// <summary>Segments of <paramref name="size"/> bytes each (each one a separate array copy).</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] data, int size)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (int i = 0; i < data.Length; i += size)
            chunks.Add(data.AsSpan(i, Math.Min(size, data.Length - i)).ToArray());
        return FromChunks(chunks);
    }

    /// <summary>Segments of random sizes 1..maxSize, with empty segments sprinkled in.</summary>
    public static ReadOnlySequence<byte> RandomChunks(byte[] data, int maxSize, int seed)
    {
        var rng = new Random(seed);
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (int i = 0; i < data.Length;)
        {
            if (rng.Next(8) == 0) chunks.Add(ReadOnlyMemory<byte>.Empty);
            int n = Math.Min(rng.Next(1, maxSize + 1), data.Length - i);
            chunks.Add(data.AsSpan(i, n).ToArray());
            i += n;
        }
        return FromChunks(chunks);
    }
}

/// <summary>One PDU framed by <see cref="PduReader"/>, copied out of the sequence.</summary>
internal sealed record FramedPdu(long Offset, long WireLength, byte[] Header, byte[] Ahs, byte[] Data, bool DataDigestOk)
{
    public Opcode Opcode => new Bhs(Header).Opcode;

    /// <summary>CmdSN and ExpStatSN of an initiator PDU that carries both, read through its typed PDU.</summary>
    public (uint CmdSN, uint ExpStatSN) InitiatorSequence => Opcode switch
    {
        Opcode.LoginRequest => (LoginRequestPdu.Decode(Header).Sequence.CmdSN, LoginRequestPdu.Decode(Header).Sequence.ExpStatSN),
        Opcode.TextRequest => (TextRequestPdu.Decode(Header).Sequence.CmdSN, TextRequestPdu.Decode(Header).Sequence.ExpStatSN),
        Opcode.ScsiCommand => (ScsiCommandPdu.Decode(Header).Sequence.CmdSN, ScsiCommandPdu.Decode(Header).Sequence.ExpStatSN),
        Opcode.LogoutRequest => (LogoutRequestPdu.Decode(Header).Sequence.CmdSN, LogoutRequestPdu.Decode(Header).Sequence.ExpStatSN),
        Opcode.NopOut => (NopOutPdu.Decode(Header).Sequence.CmdSN, NopOutPdu.Decode(Header).Sequence.ExpStatSN),
        Opcode.TaskManagementRequest => (TaskManagementRequestPdu.Decode(Header).Sequence.CmdSN, TaskManagementRequestPdu.Decode(Header).Sequence.ExpStatSN),
        _ => throw new InvalidOperationException($"{Opcode} carries no CmdSN"),
    };

    /// <summary>StatSN, ExpCmdSN and MaxCmdSN of a target PDU.</summary>
    public TargetSequenceNumbers TargetSequence => TargetSequenceNumbers.Read(Header);

    /// <summary>CSG of a Login Request or Response (the same bits in both).</summary>
    public LoginStage LoginCurrentStage => Opcode == Opcode.LoginResponse
        ? LoginResponsePdu.Decode(Header).CurrentStage
        : LoginRequestPdu.Decode(Header).CurrentStage;
    public List<KeyValuePair<string, string>> Keys => TextKeyValues.Parse(Data);
    public string Text => string.Join("|", Keys.Select(k => k.Key + "=" + k.Value));
}

internal static class Framer
{
    /// <summary>True for the Login Request/Response after which full feature phase (and digests) start.</summary>
    public static bool EndsLogin(ReadOnlySpan<byte> header)
    {
        return new Bhs(header).Opcode switch
        {
            Opcode.LoginRequest => LoginRequestPdu.Decode(header) is { Transit: true, NextStage: LoginStage.FullFeaturePhase },
            Opcode.LoginResponse => LoginResponsePdu.Decode(header) is { Transit: true, NextStage: LoginStage.FullFeaturePhase },
            _ => false,
        };
    }

    /// <summary>Frames PDUs from the start of <paramref name="stream"/> until TryRead wants more bytes.
    /// Uses <paramref name="login"/> limits until the last login PDU, then <paramref name="fullFeature"/>.</summary>
    public static List<FramedPdu> FrameAll(ReadOnlySequence<byte> stream, PduLimits login, PduLimits fullFeature, out long consumed)
    {
        var list = new List<FramedPdu>();
        var limits = login;
        var buffer = stream;
        while (PduReader.TryRead(buffer, limits, out var frame, out var ok))
        {
            var rest = buffer.Slice(frame.End);
            var pdu = new FramedPdu(stream.Length - buffer.Length, buffer.Length - rest.Length,
                frame.Header.ToArray(), frame.Ahs.ToArray(), frame.Data.ToArray(), ok);
            list.Add(pdu);
            if (EndsLogin(pdu.Header)) limits = fullFeature;
            buffer = rest;
        }
        consumed = stream.Length - buffer.Length;
        return list;
    }

    public static List<FramedPdu> FrameAll(byte[] stream, PduLimits login, PduLimits fullFeature)
    {
        var list = FrameAll(new ReadOnlySequence<byte>(stream), login, fullFeature, out var consumed);
        Assert.Equal(stream.Length, consumed);
        return list;
    }

    /// <summary>Frames a capture file with the digests its full feature phase negotiated.</summary>
    public static List<FramedPdu> FrameCapture(string file)
    {
        bool digests = file.StartsWith("kernel-login-chap-digests.1.", StringComparison.Ordinal);
        return FrameAll(Captures.Load(file), new PduLimits(8192, false, false), new PduLimits(262144, digests, digests));
    }

    public static List<FramedPdu> FrameAll(byte[] stream) =>
        FrameAll(stream, new PduLimits(262144, false, false), new PduLimits(262144, false, false));

    public static void AssertSame(IReadOnlyList<FramedPdu> expected, IReadOnlyList<FramedPdu> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Offset, actual[i].Offset);
            Assert.Equal(expected[i].WireLength, actual[i].WireLength);
            Assert.Equal(expected[i].Header, actual[i].Header);
            Assert.Equal(expected[i].Ahs, actual[i].Ahs);
            Assert.Equal(expected[i].Data, actual[i].Data);
            Assert.Equal(expected[i].DataDigestOk, actual[i].DataDigestOk);
        }
    }
}
