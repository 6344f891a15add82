using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>
/// The command table: which commands each kind of node offers (configshell's list_commands), each
/// bound to the handler of its part of the tree.
/// </summary>
internal sealed class CommandTable
{
    private readonly GeneralCommands _general;
    private readonly BackstoreCommands _backstores;
    private readonly IscsiCommands _iscsi;
    private readonly AclCommands _acls;
    private readonly LunCommands _luns;
    private readonly CdCommands _cds;

    public CommandTable(TargetCliShell shell)
    {
        _general = new GeneralCommands(shell, this);
        Root = new RootCommands(shell);
        _cds = new CdCommands(shell);
        _backstores = new BackstoreCommands(shell, _cds);
        _iscsi = new IscsiCommands(shell);
        _acls = new AclCommands(shell);
        _luns = new LunCommands(shell);
    }

    /// <summary>saveconfig and friends; the shell's exit actions save through it too.</summary>
    public RootCommands Root { get; }

    /// <summary>The commands of <paramref name="node"/>, sorted by name.</summary>
    public IReadOnlyList<CommandSpec> For(TreeNode node)
    {
        var list = new List<CommandSpec>
        {
            new("bookmarks", ["action", "bookmark"], 1, _general.BookmarksAsync, "Manage your bookmarks: add NAME, del NAME, go NAME, show."),
            new("cd", ["path"], 0, _general.CdAsync, "Change current path to path (\"..\" parent, \"/\" root, \"-\" previous path, @bookmark)."),
            new("exit", [], 0, _general.ExitAsync, "Exits the command line interface (saving first when auto_save_on_exit is true)."),
            new("get", ["group"], 0, ConfigGroupCommands.GetAsync, "Gets the value of one or more configuration parameters in the given group.", ExtraPositional: true),
            new("help", ["topic"], 0, _general.HelpAsync, "Displays the manual page for a topic, or list available topics."),
            new("ls", ["path", "depth"], 0, _general.LsAsync, "Display either the nodes tree relative to path or to the current node."),
            new("pwd", [], 0, _general.PwdAsync, "Displays the current path."),
            new("refresh", [], 0, _ => Task.CompletedTask, "Refreshes and updates the objects tree from the current path."),
            new("set", ["group"], 0, ConfigGroupCommands.SetAsync, "Sets one or more configuration parameters in the given group.", ExtraKeyword: true),
            new("status", [], 0, _general.StatusAsync, "Displays the current node's status summary."),
        };
        switch (node.Kind)
        {
            case NodeKind.Root:
                list.Add(new("clearconfig", ["confirm"], 0, RootCommands.ClearConfigAsync, "Removes entire configuration of backstores and targets (confirm=True)."));
                list.Add(new("restoreconfig", ["savefile", "clear_existing"], 0, Root.RestoreConfigAsync, "Restores configuration from a file."));
                list.Add(new("saveconfig", ["savefile"], 0, Root.SaveConfigAsync, "Saves the current configuration to a file so that it can be restored on next boot."));
                list.Add(new("sessions", ["action", "sid"], 0, SessionsCommand.RunAsync, "Displays a detailed list of all open sessions (list|detail) [sid]."));
                list.Add(new("version", [], 0, RootCommands.VersionAsync, "Displays the targetcli version."));
                break;
            case NodeKind.Backstore:
                list.Add(_backstores.CreateSpec(node.Plugin));
                list.Add(new("delete", ["name"], 1, BackstoreCommands.DeleteAsync, "Deletes the storage object having the specified name (it must not be used by a LUN)."));
                break;
            case NodeKind.StorageObject:
                list.Add(new("info", [], 0, BackstoreCommands.InfoAsync, "Displays the storage object's settings."));
                if (node.StorageObject is { Device.IsCd: true })
                {
                    list.Add(new("eject", [], 0, CdCommands.EjectAsync, "Ejects the medium of this cd (initiators stay logged in and see it go)."));
                    list.Add(new("load", ["file_or_dev"], 1, _cds.LoadAsync, "Loads an image (file_or_dev) into this cd, replacing the one in it."));
                }
                break;
            case NodeKind.AluaGroups:
                list.Add(new("create", ["name", "tag"], 2, AluaCommands.CreateAsync, "Create a new ALUA Target Port Group attached to a storage object."));
                list.Add(new("delete", ["name"], 1, AluaCommands.DeleteAsync, "Delete the ALUA Target Port Group and unmap it from a LUN if needed."));
                break;
            case NodeKind.Iscsi:
                list.Add(new("create", ["wwn"], 0, _iscsi.CreateTargetAsync, "Creates a new target (an IQN is generated when wwn is omitted)."));
                list.Add(new("delete", ["wwn"], 1, IscsiCommands.DeleteTargetAsync, "Recursively deletes the target with the specified wwn."));
                list.Add(new("info", [], 0, IscsiCommands.InfoAsync, "Displays information about the fabric module."));
                break;
            case NodeKind.Loopback:
                list.Add(new("create", ["wwn"], 0, IscsiCommands.LoopbackAsync, "Creates a loopback target (not supported by SharpSAN)."));
                list.Add(new("delete", ["wwn"], 1, IscsiCommands.LoopbackAsync, "Deletes a loopback target (not supported by SharpSAN)."));
                break;
            case NodeKind.Target:
                list.Add(new("create", ["tag"], 0, _iscsi.CreateTpgAsync, "Creates a new Target Portal Group within the target."));
                list.Add(new("delete", ["tag"], 1, IscsiCommands.DeleteTpgAsync, "Deletes the Target Portal Group with TPGT \"tag\" from the target."));
                break;
            case NodeKind.Tpg:
                list.Add(new("disable", [], 0, ctx => IscsiCommands.EnableTpgAsync(ctx, false), "Disables the TPG."));
                list.Add(new("enable", [], 0, ctx => IscsiCommands.EnableTpgAsync(ctx, true), "Enables the TPG."));
                list.Add(new("info", [], 0, IscsiCommands.TpgInfoAsync, "Displays the TPG's settings."));
                break;
            case NodeKind.Acls:
                list.Add(new("create", ["wwn", "add_mapped_luns"], 1, _acls.CreateAclAsync, "Creates a Node ACL for the initiator node with the specified wwn."));
                list.Add(new("delete", ["wwn"], 1, AclCommands.DeleteAclAsync, "Deletes the Node ACL with the specified wwn."));
                break;
            case NodeKind.Acl:
                list.Add(new("create", ["mapped_lun", "tpg_lun_or_backstore", "write_protect"], 2, _acls.CreateMappedLunAsync, "Creates a mapping to one of the TPG LUNs for the initiator referenced by the ACL."));
                list.Add(new("delete", ["mapped_lun"], 1, AclCommands.DeleteMappedLunAsync, "Deletes the specified mapped LUN."));
                list.Add(new("info", [], 0, AclCommands.InfoAsync, "Displays the ACL's settings."));
                break;
            case NodeKind.Luns:
                list.Add(new("create", ["storage_object", "lun", "add_mapped_luns"], 1, _luns.CreateAsync, "Creates a new LUN in the Target Portal Group, attached to a storage object."));
                list.Add(new("delete", ["lun"], 1, LunCommands.DeleteAsync, "Deletes the supplied LUN from the Target Portal Group."));
                break;
            case NodeKind.Portals:
                list.Add(new("create", ["ip_address", "ip_port"], 0, PortalCommands.CreateAsync, "Creates a Network Portal with the specified IP address and port."));
                list.Add(new("delete", ["ip_address", "ip_port"], 2, PortalCommands.DeleteAsync, "Deletes the Network Portal with the specified IP address and port."));
                break;
        }
        return list.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }
}
