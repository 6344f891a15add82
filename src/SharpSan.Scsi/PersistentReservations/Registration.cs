namespace SharpSan.Scsi;

/// <summary>
/// One registration (SPC-4 5.13.7): a reservation key registered for an I_T nexus. The initiator side is
/// an initiator port ("iqn...,i,0x" + ISID), or, when registered through a TransportID that names only
/// the iSCSI name (format 00b, SPC-4 7.6.4.6), every port of that initiator device. The target side is
/// one target port, or every target port when registered with ALL_TG_PT (SPC-4 6.16.3: "as if the same
/// registration request had been received individually through each target port"). Immutable: a key
/// change makes a new object, so a <see cref="PersistentReservationState"/> can be read without locks.
/// </summary>
public sealed class Registration
{
    /// <summary>The separator between an iSCSI name and the ISID in an initiator port name (SPC-4 7.6.4.6,
    /// RFC 7143 §4.2.7.4).</summary>
    public const string IsidSeparator = ",i,0x";

    public Registration(string initiatorName, string? isid, string targetPortName, ushort relativeTargetPortId, bool allTargetPorts, ulong key)
    {
        InitiatorName = initiatorName;
        Isid = isid;
        TargetPortName = targetPortName;
        RelativeTargetPortId = relativeTargetPortId;
        AllTargetPorts = allTargetPorts;
        Key = key;
        InitiatorPortName = isid is null ? initiatorName : initiatorName + IsidSeparator + isid;
    }

    /// <summary>The registration of <paramref name="nexus"/> itself.</summary>
    public static Registration For(ItNexus nexus, bool allTargetPorts, ulong key)
    {
        SplitPortName(nexus.InitiatorPortName, out string name, out string? isid);
        return new Registration(name, isid, nexus.TargetPortName, nexus.RelativeTargetPortId, allTargetPorts, key);
    }

    /// <summary>The initiator's iSCSI name (the whole port name for a transport without ISIDs).</summary>
    public string InitiatorName { get; }

    /// <summary>The ISID as 12 lower-case hex digits, or null: every port of <see cref="InitiatorName"/>.</summary>
    public string? Isid { get; }

    /// <summary>"name,i,0xISID", or the name alone when <see cref="Isid"/> is null.</summary>
    public string InitiatorPortName { get; }

    /// <summary>The target port's name (e.g. "iqn...,t,0x0001"); not used when <see cref="AllTargetPorts"/>.</summary>
    public string TargetPortName { get; }

    public ushort RelativeTargetPortId { get; }

    /// <summary>Registered through every target port (ALL_TG_PT=1).</summary>
    public bool AllTargetPorts { get; }

    public ulong Key { get; }

    public Registration WithKey(ulong key) => new(InitiatorName, Isid, TargetPortName, RelativeTargetPortId, AllTargetPorts, key);

    /// <summary>True when this registration covers <paramref name="nexus"/>. No allocation: this runs in
    /// the conflict check of every command while a persistent reservation exists.</summary>
    public bool Matches(ItNexus nexus) =>
        (AllTargetPorts || (nexus.RelativeTargetPortId == RelativeTargetPortId &&
                            string.Equals(nexus.TargetPortName, TargetPortName, StringComparison.Ordinal)))
        && MatchesInitiatorPort(nexus.InitiatorPortName);

    /// <summary>True when this registration covers the initiator port <paramref name="portName"/>
    /// ("name,i,0xISID"); iSCSI names compare without case (RFC 3722 normalises them to lower case).</summary>
    public bool MatchesInitiatorPort(string portName)
    {
        if (Isid is not null)
        {
            return string.Equals(portName, InitiatorPortName, StringComparison.OrdinalIgnoreCase);
        }

        ReadOnlySpan<char> port = portName;
        return port.StartsWith(InitiatorName, StringComparison.OrdinalIgnoreCase) &&
               (port.Length == InitiatorName.Length || port[InitiatorName.Length..].StartsWith(IsidSeparator, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when both name the same set of I_T nexuses (a duplicate registration).</summary>
    public bool SameNexusesAs(Registration other) =>
        AllTargetPorts == other.AllTargetPorts &&
        (AllTargetPorts || (RelativeTargetPortId == other.RelativeTargetPortId && string.Equals(TargetPortName, other.TargetPortName, StringComparison.Ordinal))) &&
        string.Equals(InitiatorPortName, other.InitiatorPortName, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when some I_T nexus is covered by both registrations.</summary>
    public bool Overlaps(Registration other)
    {
        bool targets = AllTargetPorts || other.AllTargetPorts ||
            (RelativeTargetPortId == other.RelativeTargetPortId && string.Equals(TargetPortName, other.TargetPortName, StringComparison.Ordinal));
        if (!targets)
        {
            return false;
        }

        return Isid is null ? other.MatchesInitiatorPortOrDevice(InitiatorName) : MatchesInitiatorPort(other.InitiatorPortName) || other.MatchesInitiatorPort(InitiatorPortName);
    }

    private bool MatchesInitiatorPortOrDevice(string initiatorName) => string.Equals(InitiatorName, initiatorName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits "name,i,0xISID" into the name and the ISID (lower case); a name without the
    /// separator has no ISID.</summary>
    public static void SplitPortName(string portName, out string name, out string? isid)
    {
        int at = portName.IndexOf(IsidSeparator, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            name = portName;
            isid = null;
            return;
        }

        name = portName[..at];
        isid = portName[(at + IsidSeparator.Length)..].ToLowerInvariant();
    }

    public override string ToString() =>
        $"{InitiatorPortName} -> {(AllTargetPorts ? "all target ports" : TargetPortName)} key 0x{Key:x16}";
}
