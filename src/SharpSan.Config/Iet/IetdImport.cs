namespace SharpSan.Config;

/// <summary>
/// Adds what an ietd.conf serves to an existing configuration (a saveconfig.json), for
/// `sharpsand --ietd FILE --import-to saveconfig.json`: the LIO targets and anything else already
/// there stay as they are. Nothing is replaced: a target or storage object that already exists, a CHAP
/// user with another secret, or a different discovery account refuses the import with one line.
/// </summary>
public static class IetdImport
{
    /// <summary>The tid the first imported target gets: after every tgt target already in <paramref name="existing"/>.</summary>
    public static int NextTid(SanConfig existing) =>
        existing.Targets.Select(t => t.Tgt?.Tid ?? 0).DefaultIfEmpty(0).Max() + 1;

    /// <summary>Merges <paramref name="iet"/> (read with <see cref="IetdOptions.FirstTid"/> =
    /// <see cref="NextTid"/>) into <paramref name="existing"/>, which is changed only when everything fits.</summary>
    /// <param name="destination">The file name used in errors.</param>
    public static void Merge(SanConfig existing, SanConfig iet, string destination)
    {
        ConfigException Conflict(string reason) => IetError.In(destination, reason);
        foreach (var t in iet.Targets)
            if (existing.Targets.Exists(e => string.Equals(e.Wwn, t.Wwn, StringComparison.OrdinalIgnoreCase)))
                throw Conflict($"target {t.Wwn} is already there; delete it first (targetcli /iscsi delete {t.Wwn}) to import it again");
        foreach (var so in iet.StorageObjects)
            if (existing.StorageObjects.Exists(e => e.Path == so.Path))
                throw Conflict($"storage object {so.Path} is already there");
        var newAccounts = new List<TgtAccountConfig>();
        foreach (var a in iet.Tgt.Accounts)
        {
            if (existing.Tgt.FindAccount(a.User) is { } same)
            {
                if (same.Password != a.Password)
                    throw Conflict($"CHAP user {a.User} is already there with another secret");
                continue;
            }
            newAccounts.Add(a);
        }
        var d = iet.DiscoveryAuth;
        var e = existing.DiscoveryAuth;
        var takeDiscovery = d.UserId.Length > 0;
        if (takeDiscovery && e.UserId.Length > 0
            && (e.UserId != d.UserId || e.Password != d.Password || e.MutualUserId != d.MutualUserId || e.MutualPassword != d.MutualPassword))
            throw Conflict($"discovery authentication is already set up (user {e.UserId}); ietd.conf's global IncomingUser {d.UserId} would replace it");

        existing.StorageObjects.AddRange(iet.StorageObjects);
        existing.Targets.AddRange(iet.Targets);
        existing.Tgt.Accounts.AddRange(newAccounts);
        if (takeDiscovery)
        {
            e.Enable = true;
            e.UserId = d.UserId;
            e.Password = d.Password;
            e.MutualUserId = d.MutualUserId;
            e.MutualPassword = d.MutualPassword;
        }
    }
}
