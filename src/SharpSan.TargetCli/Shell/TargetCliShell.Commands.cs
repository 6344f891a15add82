using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

// The command table: which commands each kind of node offers (configshell's list_commands).
public sealed partial class TargetCliShell
{
    internal IReadOnlyList<CommandSpec> Commands(TreeNode node)
    {
        var list = new List<CommandSpec>
        {
            new("bookmarks", ["action", "bookmark"], 1, BookmarksAsync, "Manage your bookmarks: add NAME, del NAME, go NAME, show."),
            new("cd", ["path"], 0, CdAsync, "Change current path to path (\"..\" parent, \"/\" root, \"-\" previous path, @bookmark)."),
            new("exit", [], 0, ExitAsync, "Exits the command line interface (saving first when auto_save_on_exit is true)."),
            new("get", ["group"], 0, GetAsync, "Gets the value of one or more configuration parameters in the given group.", ExtraPositional: true),
            new("help", ["topic"], 0, HelpAsync, "Displays the manual page for a topic, or list available topics."),
            new("ls", ["path", "depth"], 0, LsAsync, "Display either the nodes tree relative to path or to the current node."),
            new("pwd", [], 0, PwdAsync, "Displays the current path."),
            new("refresh", [], 0, _ => Task.CompletedTask, "Refreshes and updates the objects tree from the current path."),
            new("set", ["group"], 0, SetAsync, "Sets one or more configuration parameters in the given group.", ExtraKeyword: true),
            new("status", [], 0, StatusAsync, "Displays the current node's status summary."),
        };
        switch (node.Kind)
        {
            case NodeKind.Root:
                list.Add(new("clearconfig", ["confirm"], 0, ClearConfigAsync, "Removes entire configuration of backstores and targets (confirm=True)."));
                list.Add(new("restoreconfig", ["savefile", "clear_existing"], 0, RestoreConfigAsync, "Restores configuration from a file."));
                list.Add(new("saveconfig", ["savefile"], 0, SaveConfigAsync, "Saves the current configuration to a file so that it can be restored on next boot."));
                list.Add(new("sessions", ["action", "sid"], 0, SessionsAsync, "Displays a detailed list of all open sessions (list|detail) [sid]."));
                list.Add(new("version", [], 0, VersionAsync, "Displays the targetcli version."));
                break;
            case NodeKind.Backstore:
                list.Add(CreateBackstoreSpec(node.Plugin));
                list.Add(new("delete", ["name"], 1, DeleteStorageObjectAsync, "Deletes the storage object having the specified name (it must not be used by a LUN)."));
                break;
            case NodeKind.StorageObject:
                list.Add(new("info", [], 0, StorageObjectInfoAsync, "Displays the storage object's settings."));
                break;
            case NodeKind.Iscsi:
                list.Add(new("create", ["wwn"], 0, CreateTargetAsync, "Creates a new target (an IQN is generated when wwn is omitted)."));
                list.Add(new("delete", ["wwn"], 1, DeleteTargetAsync, "Recursively deletes the target with the specified wwn."));
                list.Add(new("info", [], 0, IscsiInfoAsync, "Displays information about the fabric module."));
                break;
            case NodeKind.Loopback:
                list.Add(new("create", ["wwn"], 0, LoopbackAsync, "Creates a loopback target (not supported by SharpSAN)."));
                list.Add(new("delete", ["wwn"], 1, LoopbackAsync, "Deletes a loopback target (not supported by SharpSAN)."));
                break;
            case NodeKind.Target:
                list.Add(new("create", ["tag"], 0, CreateTpgAsync, "Creates a new Target Portal Group within the target."));
                list.Add(new("delete", ["tag"], 1, DeleteTpgAsync, "Deletes the Target Portal Group with TPGT \"tag\" from the target."));
                break;
            case NodeKind.Tpg:
                list.Add(new("disable", [], 0, ctx => EnableTpgAsync(ctx, false), "Disables the TPG."));
                list.Add(new("enable", [], 0, ctx => EnableTpgAsync(ctx, true), "Enables the TPG."));
                list.Add(new("info", [], 0, TpgInfoAsync, "Displays the TPG's settings."));
                break;
            case NodeKind.Acls:
                list.Add(new("create", ["wwn", "add_mapped_luns"], 1, CreateAclAsync, "Creates a Node ACL for the initiator node with the specified wwn."));
                list.Add(new("delete", ["wwn"], 1, DeleteAclAsync, "Deletes the Node ACL with the specified wwn."));
                break;
            case NodeKind.Acl:
                list.Add(new("create", ["mapped_lun", "tpg_lun_or_backstore", "write_protect"], 2, CreateMappedLunAsync, "Creates a mapping to one of the TPG LUNs for the initiator referenced by the ACL."));
                list.Add(new("delete", ["mapped_lun"], 1, DeleteMappedLunAsync, "Deletes the specified mapped LUN."));
                list.Add(new("info", [], 0, AclInfoAsync, "Displays the ACL's settings."));
                break;
            case NodeKind.Luns:
                list.Add(new("create", ["storage_object", "lun", "add_mapped_luns"], 1, CreateLunAsync, "Creates a new LUN in the Target Portal Group, attached to a storage object."));
                list.Add(new("delete", ["lun"], 1, DeleteLunAsync, "Deletes the supplied LUN from the Target Portal Group."));
                break;
            case NodeKind.Portals:
                list.Add(new("create", ["ip_address", "ip_port"], 0, CreatePortalAsync, "Creates a Network Portal with the specified IP address and port."));
                list.Add(new("delete", ["ip_address", "ip_port"], 2, DeletePortalAsync, "Deletes the Network Portal with the specified IP address and port."));
                break;
        }
        return list.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private CommandSpec CreateBackstoreSpec(string plugin) => plugin switch
    {
        "block" => new("create", ["name", "dev", "readonly", "wwn"], 2, CreateBlockAsync, "Creates a Block Storage object. \"dev\" is the path to the block device to use."),
        "fileio" => new("create", ["name", "file_or_dev", "size", "write_back", "sparse", "wwn"], 2, CreateFileIoAsync,
            "Creates a FileIO storage object. A file that does not exist yet needs a size (1G, 500M, 512K, 1T, bytes)."),
        "ramdisk" => new("create", ["name", "size", "nullio", "wwn"], 2, CreateRamdiskAsync, "Creates a ramdisk storage object. \"size\" is the size of the ramdisk."),
        _ => new("create", ["name", "dev"], 2, CreatePscsiAsync, "Creates a PSCSI storage object, with supplied name and SCSI device."),
    };
}
