namespace SharpSan.Config;

/// <summary>Where an ietd.conf key goes in the tree.</summary>
internal enum IetKeyUse
{
    /// <summary>A TPG parameter (an iSCSI key the target negotiates), under the same name.</summary>
    Parameter,
    /// <summary>The TPG's command window, LIO's default_cmdsn_depth.</summary>
    CommandWindow,
    /// <summary>Accepted and checked, with nothing to act on; <see cref="IetKey.Ignored"/> says why.</summary>
    Ignored,
}
