namespace SharpSan.Config;

/// <summary>
/// What makes a target a tgt target (made by tgtadm, targets.conf or ietd.conf): its tid and the
/// rules tgt applies instead of LIO's node ACLs. Saved under the target's "sharpsan_tgt" key.
/// A tgt target has exactly one TPG (tag 1) with generate_node_acls=1: every LUN is visible to every
/// initiator tgt lets in, and who gets in is decided here (tgt usr/iscsi/iscsid.c login: an initiator
/// is refused only when neither its address nor its name is allowed).
/// </summary>
public sealed class TgtTargetConfig
{
    /// <summary>tgt's target id (1..), unique among tgt targets.</summary>
    public int Tid { get; set; }

    /// <summary>Address ACL entries: "ALL", an address ("192.168.1.5", "[fe80::1]") or a network
    /// ("10.0.0.0/8"). tgt starts a target with none: nobody is let in until `--op bind -I`.</summary>
    public List<string> InitiatorAddresses { get; } = new();

    /// <summary>Initiator name ACL entries (tgtadm -Q, targets.conf initiator-name).</summary>
    public List<string> InitiatorNames { get; } = new();

    /// <summary>IET's initiators.deny entries for this target, addresses: "ALL", an address or a network, as
    /// <see cref="InitiatorAddresses"/>. tgt has no deny rules; see <see cref="Admits"/> for how they combine.</summary>
    public List<string> DeniedAddresses { get; } = new();

    /// <summary>IET's initiators.deny entries for this target, initiator names.</summary>
    public List<string> DeniedNames { get; } = new();

    /// <summary>Accounts (<see cref="TgtSystemConfig.Accounts"/> user names) bound for incoming CHAP: an
    /// initiator must authenticate as one of them when there is any.</summary>
    public List<string> IncomingUsers { get; } = new();

    /// <summary>Account the target answers mutual CHAP with; empty: none.</summary>
    public string OutgoingUser { get; set; } = "";

    /// <summary>"ready" or "offline" (tgtadm --op update --mode target -n state -v offline): an offline
    /// target refuses logins with a target error, as tgt does.</summary>
    public string State { get; set; } = TgtSystemConfig.Ready;

    /// <summary>True: LUN 0 is tgt's controller (peripheral type 0Ch, no storage). ietd.conf targets
    /// have none: IET's LUN 0 is an ordinary disk.</summary>
    public bool ControllerLun { get; set; } = true;

    /// <summary>True when there is any deny rule (IET's initiators.deny); never for a tgt-made target.</summary>
    public bool HasDenyRules => DeniedAddresses.Count > 0 || DeniedNames.Count > 0;

    /// <summary>
    /// Whether an initiator at <paramref name="peer"/> named <paramref name="initiatorName"/> may log in
    /// to (and discover) this target, before CHAP. tgt (usr/iscsi/target.c): allowed when its address
    /// matches an <see cref="InitiatorAddresses"/> entry or its name an <see cref="InitiatorNames"/> entry,
    /// else refused. IET (usr/plain.c, initiator_allow) adds initiators.deny: an initiator matched by an
    /// allow rule gets in, one matched by a deny rule does not, and one matched by neither gets in — so
    /// deny rules turn "refused unless allowed" into "allowed unless denied":
    /// admitted ⇔ allowed ∨ (<see cref="HasDenyRules"/> ∧ ¬denied). Names compare exactly (ordinal).
    /// </summary>
    public bool Admits(System.Net.IPAddress peer, string initiatorName)
    {
        if (Matches(InitiatorAddresses, InitiatorNames, peer, initiatorName))
            return true;
        return HasDenyRules && !Matches(DeniedAddresses, DeniedNames, peer, initiatorName);
    }

    private static bool Matches(List<string> addresses, List<string> names, System.Net.IPAddress peer, string initiatorName)
    {
        foreach (var a in addresses)
            if (TgtAddressRule.TryParse(a, out var rule) && rule.Matches(peer))
                return true;
        foreach (var n in names)
            if (string.Equals(n, initiatorName, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>Name of the storage object tgt's LUN <paramref name="lun"/> of target
    /// <paramref name="tid"/> is made into.</summary>
    public static string StorageObjectName(int tid, ulong lun) => $"tgt{tid}_lun{lun}";

    public TgtTargetConfig Clone()
    {
        var c = new TgtTargetConfig { Tid = Tid, OutgoingUser = OutgoingUser, State = State, ControllerLun = ControllerLun };
        c.InitiatorAddresses.AddRange(InitiatorAddresses);
        c.InitiatorNames.AddRange(InitiatorNames);
        c.IncomingUsers.AddRange(IncomingUsers);
        c.DeniedAddresses.AddRange(DeniedAddresses);
        c.DeniedNames.AddRange(DeniedNames);
        return c;
    }
}

/// <summary>tgt's daemon-wide state: its CHAP accounts, its state and its portals. Saved under the
/// root's "sharpsan_tgt" key when not the default.</summary>
public sealed class TgtSystemConfig
{
    public const string Ready = "ready";
    public const string Offline = "offline";

    /// <summary>tgt's account list (tgtadm --mode account). Secrets: the file is 0600.</summary>
    public List<TgtAccountConfig> Accounts { get; } = new();

    /// <summary>"ready" or "offline" (tgtadm --mode sys --op update -n State -v offline): offline
    /// refuses new logins to tgt targets.</summary>
    public string State { get; set; } = Ready;

    /// <summary>Where tgt targets listen ("IP:PORT", IPv6 in brackets); empty: tgtd's default,
    /// 0.0.0.0:3260.</summary>
    public List<string> Portals { get; } = new();

    public bool IsDefault => Accounts.Count == 0 && State == Ready && Portals.Count == 0;

    public TgtAccountConfig? FindAccount(string user) => Accounts.Find(a => a.User == user);
}

public sealed class TgtAccountConfig
{
    public string User { get; set; } = "";
    public string Password { get; set; } = "";
}
