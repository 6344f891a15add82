namespace SharpSan.Initiator.Fuse.Tests;

/// <summary>The shared <see cref="TargetHarness"/> as these tests start it: target <see cref="Name"/>, logged in
/// to as <see cref="Initiator"/>, with LUN 0 on a file.</summary>
internal static class TestTarget
{
    public const string Name = "iqn.2025-01.org.sharpsan:fuse";
    public const string Initiator = "iqn.2025-01.org.sharpsan:fuse-test";

    /// <summary>One fileio LUN on <paramref name="file"/> of <paramref name="size"/> bytes.</summary>
    public static Task<TargetHarness> StartFileIoAsync(string file, ulong size)
        => TargetHarness.StartAsync(setup: new TargetSetup
        {
            TargetName = Name, InitiatorName = Initiator, File = file, Size = size, StorageName = "fuse1",
            Wwn = "6a0b1c2d-0000-4000-8000-0000000000f1",
        });

    /// <summary>One thin fileio LUN (LIO's emulate_tpu=1: the initiator sees LBPU and serves discards as
    /// UNMAP, which punches holes in <paramref name="file"/>) of <paramref name="size"/> bytes; LBPRZ
    /// (unmap_zeroes_data) unless <paramref name="unmapZeroesData"/> is false.</summary>
    public static Task<TargetHarness> StartThinFileIoAsync(string file, ulong size, bool unmapZeroesData = true)
        => TargetHarness.StartAsync(
            (config, _) =>
            {
                var attributes = config.StorageObjects[0].ExtraAttributes;
                attributes["emulate_tpu"] = System.Text.Json.Nodes.JsonValue.Create(1);
                attributes["unmap_zeroes_data"] = System.Text.Json.Nodes.JsonValue.Create(unmapZeroesData ? 1 : 0);
            },
            setup: new TargetSetup
            {
                TargetName = Name, InitiatorName = Initiator, File = file, Size = size, StorageName = "thin1",
                Wwn = "6a0b1c2d-0000-4000-8000-0000000000f2",
            });
}
