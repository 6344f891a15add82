using System.Buffers.Binary;
using SharpSan.Initiator;
using SharpSan.Scsi;

namespace SharpSan.Iscsid.Daemon;

/// <summary>The LUNs a session reports: REPORT LUNS (SPC-4 §6.33), or LUN 0 when the target refuses it.</summary>
internal static class LunScanner
{
    public static async Task<IReadOnlyList<ulong>> ReportLunsAsync(IscsiSession session, CancellationToken ct)
    {
        var buffer = new byte[16 + 8 * 256];
        var cdb = new byte[12];
        cdb[0] = 0xA0; // REPORT LUNS, SELECT REPORT 0
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), (uint)buffer.Length);
        var result = await session.ExecuteAsync(ScsiCommand.Read(0, cdb, buffer), ct);
        if (!result.IsGood)
            return [0];
        var listBytes = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(buffer), (uint)(buffer.Length - 8));
        var luns = new List<ulong>();
        for (var off = 8; off + 8 <= 8 + listBytes; off += 8)
        {
            var lun = SamLun.Decode(buffer.AsSpan(off, 8));
            if (lun != SamLun.Unaddressable) luns.Add(lun);
        }
        return luns.Count > 0 ? luns : [0];
    }
}
