namespace SharpSan.Config;

/// <summary>
/// Facts about LIO's saveconfig.json (rtslib-fb root.py/tcm.py/target.py/fabric.py dump()) that the
/// reader, writer and validator must agree on.
/// </summary>
internal static class LioFormat
{
    // rtslib's bs_params names the plugins "fileio", "block", "ramdisk", "pscsi" in dumps; so_mapping
    // also accepts the configfs directory prefixes "rd_mcp" and "iblock" when restoring.
    public const string FileIo = "fileio";
    public const string Block = "block";
    public const string Ramdisk = "ramdisk";
    public const string Pscsi = "pscsi";

    public const string IscsiFabric = "iscsi";
    public const string DefaultAluaGroup = "default_tg_pt_gp";

    /// <summary>Maps a plugin name as found in a file to the name rtslib writes, or null if unsupported.</summary>
    public static string? CanonicalPlugin(string plugin) => plugin switch
    {
        FileIo => FileIo,
        Block or "iblock" => Block,
        Ramdisk or "rd_mcp" => Ramdisk,
        Pscsi => Pscsi,
        _ => null,
    };

    // The top-level keys rtslib's restore passes to each StorageObject constructor (everything but
    // attributes/plugin/alua_tpgs). Writing a key a constructor does not take (say "size" for block, or
    // "wwn" for pscsi) makes `targetctl restore` fail with a TypeError, so the writer emits exactly these.
    public static bool HasDev(string plugin) => plugin is FileIo or Block or Pscsi;
    public static bool HasSize(string plugin) => plugin is FileIo or Ramdisk;
    public static bool HasWriteBack(string plugin) => plugin is FileIo or Block;
    public static bool HasWwn(string plugin) => plugin is FileIo or Block or Ramdisk;
    public static bool HasReadonly(string plugin) => plugin == Block;

    /// <summary>pscsi passes the device's block size through; LIO does not dump a writable block_size for it.</summary>
    public static bool HasBlockSize(string plugin) => plugin != Pscsi;

    /// <summary>The keys of rtslib-fb's ALUATargetPortGroup.dump(): name, tg_pt_gp_id and alua_rw_params.</summary>
    public static readonly string[] AluaGroupKeys =
    [
        "name", "tg_pt_gp_id", "alua_access_state", "alua_access_status", "alua_write_metadata", "alua_access_type",
        "preferred", "nonop_delay_msecs", "trans_delay_msecs", "implicit_trans_secs", "alua_support_offline",
        "alua_support_standby", "alua_support_transitioning", "alua_support_active_nonoptimized",
        "alua_support_unavailable", "alua_support_active_optimized",
    ];

    public static readonly string[] ChapKeys = ["chap_userid", "chap_password", "chap_mutual_userid", "chap_mutual_password"];
}
