namespace SharpSan.Tgt.Admin;

/// <summary>tgt-admin's help (scripts/tgt-admin usage), as it prints it.</summary>
internal static class TgtAdminUsage
{
    public const string DefaultConfigFile = "/etc/tgt/targets.conf";

    public const string Help = """
        Usage:
        tgt-admin [OPTION]...
        This tool configures tgt targets.

          -e, --execute			read /etc/tgt/targets.conf and execute tgtadm commands
              --delete <value>		delete all or selected targets
        				(see "--delete help" for more info)
              --offline <value>		put all or selected targets in offline state
        				(see "--offline help" for more info)
              --ready <value>		put all or selected targets in ready state
        				(see "--ready help" for more info)
              --update <value>		update configuration for all or selected targets
        				(see "--update help" for more info)
          -s, --show			show all the targets
          -C, --control-port <NNNN>	specify the control port to connect to
          -c, --conf <conf file>	specify an alternative configuration file
              --ignore-errors		continue even if tgtadm exits with non-zero code
          -f, --force			force some operations even if the target is in use
          -p, --pretend			only print tgtadm options
              --dump			dump current tgtd configuration (note: does not
        				include detailed parameters, like write caching)
          -v, --verbose			increase verbosity (show tgtadm commands)
          -h, --help			show this help


        """;

    /// <summary>tgt-admin --delete help.</summary>
    public const string DeleteHelp = """
              --delete <value>		delete all or selected targets
        				The target will be deleted only if it's not used
        				(no initiator is connected to it).
        				If you want to delete targets which are in use,
        				you have to add "--force" flag.

        Example usage:
              --delete help	      - display this help
              --delete ALL	      - delete all targets
              --delete tid=4	      - delete target 4 (target with tid 4)
              --delete iqn.2008-08.com.example:some.target - delete this target


        """;

    /// <summary>tgt-admin --update help.</summary>
    public const string UpdateHelp = """
              --update <value>		update all or selected targets
        				The target will be updated only if it's not used
        				(no initiator is connected to it).
        				If you want to update targets which are in use,
        				you have to add "--force" flag.

        Example usage:
              --update help	      - display this help
              --update ALL	      - update all targets
              --update tid=4	      - update target 4 (target with tid 4)
              --update iqn.2008-08.com.example:some.target - update this target


        """;

    /// <summary>tgt-admin --offline help and --ready help ({0}: the word).</summary>
    public const string StateHelp = """
              --{0} <value>		{0} all or selected targets

        Example usage:
              --{0} help	      - display this help
              --{0} ALL	      - {0} all targets
              --{0} tid=4	      - {0} target 4 (target with tid 4)
              --{0} iqn.2008-08.com.example:some.target - {0} this target


        """;
}
