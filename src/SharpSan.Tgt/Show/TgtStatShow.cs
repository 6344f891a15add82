using System.Text;
using SharpSan.Control;
using SharpSan.Tgt.Tgtadm;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Show;

/// <summary>
/// `tgtadm --op stat` (usr/target.c tgt_stat_header/tgt_stat_line, usr/iscsi/target.c iscsi_stat):
/// per LUN and I_T nexus read/write/error counters, from the daemon's statistics.
/// </summary>
internal sealed class TgtStatShow(TgtTree tree, IReadOnlyList<SessionInfo> sessions, IReadOnlyList<LunStatisticsInfo> stats)
{
    private const string Header = "tgt lun sid rd_subm(bytes,cmds) rd_done(bytes,cmds) wr_subm(bytes,cmds) wr_done(bytes,cmds) errs\n";
    private const string ConnectionHeader = "sid cid rxdata_octets txdata_octets dataout_pdus datain_pdus cmd_pdus rsp_pdus\n";

    /// <summary>`--mode sys --op stat`: every target.</summary>
    public string System()
    {
        var b = new StringBuilder(Header);
        foreach (var t in tree.Targets) Target(b, t);
        return b.ToString();
    }

    /// <summary>`--mode target --op stat --tid N`.</summary>
    public string Target(int tid)
    {
        var b = new StringBuilder(Header);
        Target(b, TgtTargetOps.Require(tree, tid));
        return b.ToString();
    }

    /// <summary>`--mode logicalunit --op stat --tid N --lun L`.</summary>
    public string Lun(int tid, ulong lun)
    {
        var target = TgtTargetOps.Require(tree, tid);
        if (!LunsOf(target).Contains(lun)) throw new TgtadmException(TgtadmError.NoLun);
        var b = new StringBuilder(Header);
        foreach (var s in TgtTargetOps.NexusesOf(target, sessions)) Line(b, tid, lun, s);
        return b.ToString();
    }

    /// <summary>`--mode session --op stat --sid S`: tgt looks the session up by TSIH alone; a nexus
    /// lists its LUNs newest first (usr/target.c it_nexus_create adds each at the head).</summary>
    public string Session(ulong sid)
    {
        var (target, session) = FindSession(sid);
        var b = new StringBuilder(Header);
        foreach (var lun in LunsOf(target).Reverse()) Line(b, target.Tgt!.Tid, lun, session);
        if (session.Connections.Count > 0)
        {
            b.Append('\n').Append(ConnectionHeader);
            foreach (var c in session.Connections) Connection(b, session, c);
        }
        return b.ToString();
    }

    /// <summary>`--mode conn --op stat --sid S --cid C`.</summary>
    public string Connection(ulong sid, uint cid)
    {
        var (_, session) = FindSession(sid);
        var c = session.Connections.FirstOrDefault(c => c.Cid == cid) ?? throw new TgtadmException(TgtadmError.NoConnection);
        var b = new StringBuilder(ConnectionHeader);
        Connection(b, session, c);
        return b.ToString();
    }

    private (Config.TargetConfig Target, SessionInfo Session) FindSession(ulong sid)
    {
        foreach (var t in tree.Targets)
            foreach (var s in TgtTargetOps.NexusesOf(t, sessions))
                if (s.Tsih == sid) return (t, s);
        throw new TgtadmException(TgtadmError.NoSession);
    }

    private void Target(StringBuilder b, Config.TargetConfig target)
    {
        foreach (var lun in LunsOf(target))
            foreach (var s in TgtTargetOps.NexusesOf(target, sessions))
                Line(b, target.Tgt!.Tid, lun, s);
    }

    /// <summary>The controller LUN 0 first, then the LUNs in order (tgt's device list).</summary>
    private IEnumerable<ulong> LunsOf(Config.TargetConfig target)
    {
        if (target.Tgt!.ControllerLun) yield return 0;
        foreach (var (lun, _) in tree.Luns(target)) yield return lun.Index;
    }

    private void Line(StringBuilder b, int tid, ulong lun, SessionInfo s)
    {
        var x = stats.FirstOrDefault(x => x.Tsih == s.Tsih && x.Lun == lun && string.Equals(x.TargetName, s.TargetName, StringComparison.OrdinalIgnoreCase));
        b.Append($"{tid,3} {lun,3} {s.Tsih,3} "
            + $"{x?.ReadSubmittedBytes ?? 0,12} {x?.ReadSubmittedCommands ?? 0,6} "
            + $"{x?.ReadDoneBytes ?? 0,12} {x?.ReadDoneCommands ?? 0,6} "
            + $"{x?.WriteSubmittedBytes ?? 0,12} {x?.WriteSubmittedCommands ?? 0,6} "
            + $"{x?.WriteDoneBytes ?? 0,12} {x?.WriteDoneCommands ?? 0,6} "
            + $"{x?.Errors ?? 0,4}\n");
    }

    /// <summary>usr/iscsi/target.c _stat_iscsi_conn. sharpsand counts I/O per LUN, not octets and
    /// PDUs per connection: those columns read 0.</summary>
    private static void Connection(StringBuilder b, SessionInfo s, ConnectionInfo c)
        => b.Append($"{s.Tsih,3} {c.Cid,3} {0,13} {0,13} {0,12} {0,11} {0,8} {0,8}\n");
}
