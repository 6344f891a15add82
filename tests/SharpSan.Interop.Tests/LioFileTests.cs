namespace SharpSan.Interop.Tests;

/// <summary>A saveconfig.json as targetcli writes it on a real LIO system (every attribute and
/// parameter LIO dumps), served as is.</summary>
public sealed class LioFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpsan-lio-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string LioFile(string dir, int port) => $$"""
        {
          "fabric_modules": [],
          "storage_objects": [
            {
              "aio": false,
              "alua_tpgs": [
                { "alua_access_state": 0, "alua_access_status": 0, "alua_access_type": 3, "alua_support_active_nonoptimized": 1,
                  "alua_support_active_optimized": 1, "alua_support_offline": 1, "alua_support_standby": 1, "alua_support_transitioning": 1,
                  "alua_support_unavailable": 1, "alua_write_metadata": 0, "implicit_trans_secs": 0, "name": "default_tg_pt_gp",
                  "nonop_delay_msecs": 100, "preferred": 0, "tg_pt_gp_id": 0, "trans_delay_msecs": 0 }
              ],
              "attributes": {
                "block_size": 512, "emulate_3pc": 1, "emulate_caw": 1, "emulate_dpo": 1, "emulate_fua_read": 1, "emulate_fua_write": 1,
                "emulate_model_alias": 1, "emulate_pr": 1, "emulate_rest_reord": 0, "emulate_tas": 1, "emulate_tpu": 0, "emulate_tpws": 0,
                "emulate_ua_intlck_ctrl": 0, "emulate_write_cache": 1, "enforce_pr_isids": 1, "force_pr_aptpl": 0, "is_nonrot": 0,
                "max_unmap_block_desc_count": 0, "max_unmap_lba_count": 0, "max_write_same_len": 4096, "optimal_sectors": 16384,
                "pi_prot_format": 0, "pi_prot_type": 0, "pi_prot_verify": 0, "queue_depth": 128, "unmap_granularity": 0,
                "unmap_granularity_alignment": 0, "unmap_zeroes_data": 0
              },
              "dev": "{{dir}}/disk1.img",
              "name": "disk1",
              "plugin": "fileio",
              "size": 67108864,
              "write_back": true,
              "wwn": "2a1b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
            },
            {
              "attributes": { "block_size": 512 },
              "name": "rd1",
              "plugin": "ramdisk",
              "size": 33554432,
              "wwn": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
            }
          ],
          "targets": [
            {
              "fabric": "iscsi",
              "tpgs": [
                {
                  "attributes": {
                    "authentication": 0, "cache_dynamic_acls": 0, "default_cmdsn_depth": 64, "default_erl": 0, "demo_mode_discovery": 1,
                    "demo_mode_write_protect": 1, "fabric_prot_type": 0, "generate_node_acls": 0, "login_keys_workaround": 1,
                    "login_timeout": 15, "netif_timeout": 2, "prod_mode_write_protect": 0, "t10_pi": 0, "tpg_enabled_sendtargets": 1
                  },
                  "enable": true,
                  "luns": [
                    { "alias": "b3e4e1c2a7", "alua_tg_pt_gp_name": "default_tg_pt_gp", "index": 0, "storage_object": "/backstores/fileio/disk1" },
                    { "alias": "0c7f2a9e11", "alua_tg_pt_gp_name": "default_tg_pt_gp", "index": 1, "storage_object": "/backstores/ramdisk/rd1" }
                  ],
                  "node_acls": [
                    {
                      "attributes": { "dataout_timeout": 3, "dataout_timeout_retries": 5, "default_erl": 0, "nopin_response_timeout": 30,
                        "nopin_timeout": 15, "random_datain_pdu_offsets": 0, "random_datain_seq_offsets": 0, "random_r2t_offsets": 0 },
                      "mapped_luns": [
                        { "alias": "4d2c1b0a9f", "index": 0, "tpg_lun": 0, "write_protect": false },
                        { "alias": "8e7f6a5b4c", "index": 1, "tpg_lun": 1, "write_protect": true }
                      ],
                      "node_wwn": "iqn.2025-09.com.example:client1"
                    }
                  ],
                  "parameters": {
                    "AuthMethod": "CHAP,None", "DataDigest": "CRC32C,None", "DataPDUInOrder": "Yes", "DataSequenceInOrder": "Yes",
                    "DefaultTime2Retain": "20", "DefaultTime2Wait": "2", "ErrorRecoveryLevel": "0", "FirstBurstLength": "65536",
                    "HeaderDigest": "CRC32C,None", "IFMarkInt": "Reject", "IFMarker": "No", "ImmediateData": "Yes", "InitialR2T": "Yes",
                    "MaxBurstLength": "262144", "MaxConnections": "1", "MaxOutstandingR2T": "1", "MaxRecvDataSegmentLength": "8192",
                    "MaxXmitDataSegmentLength": "262144", "OFMarkInt": "Reject", "OFMarker": "No", "TargetAlias": "LIO Target"
                  },
                  "portals": [ { "ip_address": "127.0.0.1", "iser": false, "offload": false, "port": {{port}} } ],
                  "tag": 1
                }
              ],
              "wwn": "iqn.2025-09.com.example:storage1"
            }
          ]
        }
        """;

    [Fact]
    public void A_targetcli_written_file_is_served_with_its_acl_and_lio_parameters()
    {
        int port = FreePort.Next();
        var path = Path.Combine(_dir, "saveconfig.json");
        File.WriteAllText(path, LioFile(_dir, port));
        using var t = TargetProcess.StartWithFile(path, port);

        var ls = Tool.Run("iscsi-ls", "-s", "-i", "iqn.2025-09.com.example:client1", $"iscsi://127.0.0.1:{port}/");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains("Target:iqn.2025-09.com.example:storage1", ls.Stdout);
        Assert.Contains("Lun:0", ls.Stdout);
        Assert.Contains("Lun:1", ls.Stdout);
        Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", "iqn.2025-09.com.example:other", $"iscsi://127.0.0.1:{port}/iqn.2025-09.com.example:storage1/0").ExitCode);

        // LIO's parameters are ours now: InitialR2T=Yes, MaxRecvDataSegmentLength=8192, TargetAlias.
        using var c = new RawInitiator(port);
        Assert.Equal(0, c.Login("iqn.2025-09.com.example:client1", "iqn.2025-09.com.example:storage1", digests: false));
        Assert.Equal("Yes", c.Negotiated["InitialR2T"]);
        Assert.Equal("8192", c.Negotiated["MaxRecvDataSegmentLength"]);
        Assert.Equal("LIO Target", c.Negotiated["TargetAlias"]);
        var data = new byte[64 * 1024];
        new Random(5).NextBytes(data);
        Assert.Equal(0, c.Write10(10, data).Header[3]);
        Assert.Equal(data, c.Read10(10, data.Length).Data);
        // mapped LUN 1 is write-protected for this ACL
        var wp = c.CommandHeader(RawInitiator.Cdb10(0x2A, 0, 1), 512, false, true, true, 512, 1);
        c.Send(wp, new byte[512], false, false);
        var rsp = c.Receive();
        Assert.Equal(0x02, rsp.Header[3]);
        Assert.Equal(0x07, rsp.Data[2 + 2] & 0x0F);
    }
}
