namespace SharpSan.Config;

/// <summary>How an ietd.conf is turned into a configuration tree.</summary>
public sealed class IetdOptions
{
    /// <summary>IET's default portal: ietd listens on every address, port 3260.</summary>
    public const string DefaultPortal = "0.0.0.0:3260";

    /// <summary>Where every IET target listens ("IP:PORT", IPv6 in brackets); empty: <see cref="DefaultPortal"/>.</summary>
    public List<string> Portals { get; } = new();

    /// <summary>
    /// Folders searched, in order, for initiators.allow, initiators.deny and targets.allow (each file
    /// separately, the first found wins). Null: the ietd.conf's own folder, and for /etc/iet/ietd.conf
    /// also /etc, where IET before 1.4.18 kept them (IET itself looks in /etc/iet/ then /etc/).
    /// </summary>
    public IReadOnlyList<string>? AccessDirectories { get; set; }

    /// <summary>tgt target id of the first target; the others follow in file order (IET numbers its
    /// targets from 1 in the order listed). An import into a tree that already has tgt targets starts
    /// after their highest tid.</summary>
    public int FirstTid { get; set; } = 1;
}
