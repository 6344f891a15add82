using System.Buffers.Binary;

namespace SharpSan.Scsi.Reporting;

/// <summary>
/// REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (MAINTENANCE IN, service action 0Dh; SPC-4 6.37): the
/// functions the iSCSI target answers with "function complete" (SharpSan.Target's TaskManagementHandler,
/// RFC 7143 11.5.1): ABORT TASK, ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT RESET and TARGET WARM/COLD
/// RESET. CLEAR ACA is answered "function not supported" (ACA is never established: NACA=1 is refused),
/// and iSCSI has no QUERY TASK, QUERY TASK SET, QUERY ASYNCHRONOUS EVENT or I_T NEXUS RESET function.
/// </summary>
internal static class ReportSupportedTaskManagementFunctionsCommand
{
    public const byte ServiceAction = 0x0D;

    /// <summary>Byte 0: ATS (7), ATSS (6), CTSS (4), LURS (3), TRS (1).</summary>
    internal const byte SupportedFunctions = 0x80 | 0x40 | 0x10 | 0x08 | 0x02;

    public static bool Parse(ScsiTask task) =>
        DataIn.Allocate(task, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(task.CdbBuffer[6..]), int.MaxValue));

    /// <summary>Basic format (4 bytes), or with REPD (CDB byte 2 bit 7) the extended format (16 bytes,
    /// ADDITIONAL DATA LENGTH 0Ch) with TMFTMOV=0: no task management function timeouts are reported.</summary>
    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        bool extended = (task.CdbBuffer[2] & 0x80) != 0;
        Span<byte> data = stackalloc byte[16];
        data.Clear();
        data[0] = SupportedFunctions;
        if (extended)
        {
            data[3] = 0x0C;
        }

        DataIn.Respond(task, extended ? data : data[..4]);
        return default;
    }
}
