using SharpSan.Scsi;

namespace SharpSan.Target;

/// <summary>CHECK CONDITION raised by the transport itself (unsupported AHS, oversized transfer,
/// engine failure), in fixed format sense data (SPC-4 4.5.3).</summary>
internal static class FabricSense
{
    public static void SetCheckCondition(ScsiTask task, byte senseKey, byte asc, byte ascq)
    {
        var s = task.SenseBuffer;
        s[..18].Clear();
        s[0] = 0x70;          // current error, fixed format
        s[2] = senseKey;
        s[7] = 10;            // additional sense length
        s[12] = asc;
        s[13] = ascq;
        task.SenseLength = 18;
        task.Status = ScsiStatus.CheckCondition;
        task.DataLength = 0;
    }
}
