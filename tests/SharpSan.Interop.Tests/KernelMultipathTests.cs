using System.Text;
using System.Text.RegularExpressions;
using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>
/// Linux's own multipath stack against sharpsand, in the VM kit's Debian guest (docs/vm-kit.md): one
/// fileio LU exported by TPG 1 and TPG 2 of one target on two portals, ALUA group "left"
/// (Active/optimized) for TPG 1's LUN and "right" (Active/non-optimized) for TPG 2's. open-iscsi logs
/// in to both (the kernel's iscsi_tcp), multipath-tools (scsi_dh_alua, prio alua) builds one map of two
/// path groups, I/O through the map reaches the backing file, and a state swap made with targetcli on
/// the running daemon moves the active group (SPC-4 5.16: the initiator learns it from the unit
/// attention ASYMMETRIC ACCESS STATE CHANGED and REPORT TARGET PORT GROUPS).
/// </summary>
public sealed class KernelMultipathTests(ITestOutputHelper log) : IDisposable
{
    private const string Target = "iqn.2026-11.io.sharpsan.test:kernel-multipath";
    private readonly TempDirectory _temp = new(prefix: "sharpsan-kmultipath-");
    private TargetProcess? _target;

    public void Dispose()
    {
        _target?.Dispose();
        _temp.Dispose();
    }

    [VmFact]
    public void Dm_multipath_groups_the_two_tpgs_by_alua_prio_writes_reach_the_lu_and_follow_a_state_swap()
    {
        int port1 = FreePort.Next(), port2 = FreePort.Next();
        var disk = _temp.File("disk1.img");
        _target = TargetProcess.Start(Config(disk, port1, port2), _temp.Path, port1);
        using var vm = LinuxVm.Start(GuestScript(port1, port2), timeout: TimeSpan.FromMinutes(4));

        vm.WaitForGuest("paths-ready", TimeSpan.FromMinutes(3));
        SetState("left", 1);
        SetState("right", 0);
        vm.Signal("states-swapped");
        var r = vm.WaitForExit(TimeSpan.FromMinutes(4));
        log.WriteLine($"VM: boot to result {r.Elapsed.TotalSeconds:F1} s");
        log.WriteLine(r.Output);
        Assert.True(r.ExitCode == 0, r.ToString());

        // Before: TPG 1's path (optimized, prio 50) is the active group, TPG 2's (non-optimized, 10) the other.
        string before = Section(r.Output, "before"), after = Section(r.Output, "after");
        var devices = Regex.Match(r.Output, @"TPG1=(sd\w+) TPG2=(sd\w+)");
        Assert.True(devices.Success, r.Output);
        string d1 = devices.Groups[1].Value, d2 = devices.Groups[2].Value;
        Assert.Contains("hwhandler='1 alua'", before);
        Assert.Contains("SHARPSAN,disk1", before);
        Assert.Matches($@"prio=50 status=active\s*\n\S*\s*`- \S+ {d1} ", before);
        Assert.Matches($@"prio=10 status=enabled\s*\n\S*\s*`- \S+ {d2} ", before);
        // detect_prio picks "sysfs": the ALUA state scsi_dh_alua read with REPORT TARGET PORT GROUPS.
        Assert.Contains($"{d1}: sysfs prio = 50", r.Output);
        Assert.Contains($"{d2}: sysfs prio = 10", r.Output);
        // After the swap scsi_dh_alua has re-read the states (REPORT TARGET PORT GROUPS) and the groups follow.
        Assert.Contains($"{d1} access_state active/non-optimized", r.Output);
        Assert.Contains($"{d2} access_state active/optimized", r.Output);
        // After the swap the groups follow: TPG 2's path is optimized and active.
        // (Which group dm-multipath marks active is settled by the next I/O; the priorities are what it goes by.)
        Assert.Matches($@"prio=50 status=\w+\s*\n\S*\s*`- \S+ {d2} ", after);
        Assert.Matches($@"prio=10 status=\w+\s*\n\S*\s*`- \S+ {d1} ", after);

        // Both writes through /dev/mapper reached the LU: read them back from the backing file.
        Assert.Equal("SHARPSAN-VMKIT-BEFORE", ReadPattern(disk, 1 << 20));
        Assert.Equal("SHARPSAN-VMKIT-AFTER", ReadPattern(disk, 2 << 20));
    }

    private static SanConfig Config(string disk, int port1, int port2)
    {
        var c = new SanConfig();
        using (var f = new FileStream(disk, FileMode.CreateNew)) f.SetLength(64 << 20);
        var so = new StorageObjectConfig { Plugin = "fileio", Name = "disk1", Dev = disk, Size = 64 << 20, Wwn = "4c0a1b2c-3d4e-4f50-8a61-72839405a6b7" };
        // No PREF bit: multipath's alua/sysfs prio adds 80 for a preferred group, which would keep "left"
        // active after the swap (as multipath-tools intends).
        so.AluaGroups.Add(new AluaGroupConfig { Name = "left", TgPtGpId = 1 });
        so.AluaGroups.Add(new AluaGroupConfig { Name = "right", TgPtGpId = 2, AluaAccessState = 1 });
        c.StorageObjects.Add(so);
        var t = new TargetConfig { Wwn = Target };
        foreach (var (tag, port, group) in new[] { ((ushort)1, port1, "left"), ((ushort)2, port2, "right") })
        {
            var tpg = new TpgConfig { Tag = tag, GenerateNodeAcls = true, DemoModeWriteProtect = false };
            tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
            tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = so.Path, AluaTgPtGp = group });
            t.Tpgs.Add(tpg);
        }
        c.Targets.Add(t);
        return c;
    }

    private void SetState(string group, int state)
    {
        var cli = Tool.Run("env", $"SHARPSAN_TARGETCLI_HOME={_temp.File("home")}", Path.Combine(Repo.Root, "out", "bin", "targetcli"),
            "--socket", _target!.ControlSocket, $"/backstores/fileio/disk1/alua/{group}", "set", "alua", $"alua_access_state={state}");
        Assert.True(cli.ExitCode == 0, cli.Output);
    }

    private static string Section(string output, string name)
    {
        var m = Regex.Match(output, $"=== {name}\n(.*?)=== end {name}", RegexOptions.Singleline);
        Assert.True(m.Success, $"no '{name}' section in:\n{output}");
        return m.Groups[1].Value;
    }

    private static string ReadPattern(string file, long offset)
    {
        using var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[64];
        f.Position = offset;
        f.ReadExactly(buffer);
        return Encoding.ASCII.GetString(buffer).TrimEnd('\0', '\n');
    }

    // The guest's half. multipath.conf groups paths by priority (the two ALUA states give two groups)
    // and fails back at once; prio is left to detect_prio, which must find ALUA (TPGS in INQUIRY).
    private static string GuestScript(int port1, int port2) => $$"""
        set -e
        . /mnt/run/lib.sh
        T={{Target}}
        modprobe -a dm_multipath dm_round_robin dm_service_time
        vmkit_iscsi
        vmkit_iscsi_login $T {{port1}}
        vmkit_iscsi_login $T {{port2}}
        udevadm settle --timeout=60
        lsscsi -t
        d1=$(lsscsi -t | awk '/,t,0x1 /{sub("/dev/","",$NF); print $NF}')
        d2=$(lsscsi -t | awk '/,t,0x2 /{sub("/dev/","",$NF); print $NF}')
        echo "TPG1=$d1 TPG2=$d2"
        cat > /etc/multipath.conf <<'CONF'
        defaults {
            user_friendly_names yes
            find_multipaths no
            path_grouping_policy group_by_prio
            failback immediate
        }
        CONF
        multipathd
        vmkit_until 60 test -e /dev/mapper/mpatha
        multipath -d -v3 2>&1 | grep -E "prio = " || true
        vmkit_until 60 sh -c "multipath -ll mpatha | grep -q 'prio=10 status=enabled'"
        echo "=== before"; multipath -ll mpatha; echo "=== end before"
        printf 'SHARPSAN-VMKIT-BEFORE' | dd of=/dev/mapper/mpatha bs=512 seek=2048 count=1 conv=sync,fsync oflag=direct status=none
        vmkit_signal paths-ready
        vmkit_wait states-swapped 120
        # I/O on each path collects the unit attention; multipathd re-reads the priorities.
        for d in $d1 $d2; do
          dd if=/dev/$d of=/dev/null bs=512 count=1 iflag=direct status=none || true
          echo "$d access_state $(cat /sys/block/$d/device/access_state) $(cat /sys/block/$d/device/preferred_path 2>/dev/null)"
          sg_rtpg -d /dev/$d 2>&1 | grep -E "target port group id|asymmetric access state" || true
        done
        multipathd reconfigure >/dev/null
        vmkit_until 30 sh -c "dd if=/dev/mapper/mpatha of=/dev/null bs=4096 count=1 iflag=direct status=none; multipath -ll mpatha | awk '/prio=50 status=active/{getline; print}' | grep -q ' $d2 '" || echo "vmkit: the map did not follow in 30 s"
        for d in $d1 $d2; do echo "$d access_state $(cat /sys/block/$d/device/access_state)"; done
        echo "=== after"; multipath -ll mpatha; echo "=== end after"
        printf 'SHARPSAN-VMKIT-AFTER' | dd of=/dev/mapper/mpatha bs=512 seek=4096 count=1 conv=sync,fsync oflag=direct status=none
        iscsiadm -m node --logoutall=all >/dev/null
        """;
}
