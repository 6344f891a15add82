using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using SharpSan.Protocol;
using SharpSan.Scsi;

namespace SharpSan.Target;

internal sealed partial class IscsiConnection
{
    /// <summary>
    /// Sends a finished task's data and status: Data-In PDUs with the status in the last one (phase
    /// collapse, §11.7.4) when the command succeeded with data, otherwise a SCSI Response (§11.4)
    /// carrying sense data. Residuals follow §11.4.5: what the command would move vs. the initiator's
    /// Expected Data Transfer Length.
    /// </summary>
    private async ValueTask SendCompletionAsync(IscsiTask task, bool flush = true)
    {
        var scsi = task.Scsi;
        uint edtl = scsi.ExpectedDataTransferLength;
        bool good = scsi.Status == ScsiStatus.Good || scsi.Status == ScsiStatus.ConditionMet;
        bool dataIn = scsi.Direction == DataDirection.Read && good && scsi.SenseLength == 0;
        long commandLength = dataIn ? scsi.DataLength : scsi.TransferLength;
        bool overflow = false, underflow = false;
        uint residual = 0;
        if (commandLength > edtl)
        {
            overflow = true;
            residual = (uint)Math.Min(commandLength - edtl, uint.MaxValue);
        }
        else if (commandLength < edtl)
        {
            underflow = true;
            residual = (uint)(edtl - commandLength);
        }

        int toSend = dataIn ? (int)Math.Min((uint)scsi.DataLength, edtl) : 0;
        if (toSend > 0)
        {
            await Writer.SendDataInAsync(task, toSend, overflow, underflow, residual, flush);
            return;
        }

        var h = ConnectionWriter.RentHeader();
        new ScsiResponsePdu
        {
            ResidualOverflow = overflow,
            ResidualUnderflow = underflow,
            Response = ScsiResponseCode.CommandCompletedAtTarget,
            Status = (byte)scsi.Status,
            InitiatorTaskTag = task.Itt,
            ResidualCount = residual,
        }.Encode(h, scsi.SenseLength == 0 ? 0 : 2 + scsi.SenseLength);
        if (scsi.SenseLength == 0)
        {
            await Writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance, flush);
            return;
        }
        // §11.4.7: the data segment is SenseLength (2 bytes) followed by the sense data.
        var sense = ArrayPool<byte>.Shared.Rent(2 + scsi.SenseLength);
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(sense, (ushort)scsi.SenseLength);
            scsi.Sense.CopyTo(sense.AsSpan(2));
            await Writer.SendAsync(h, sense.AsMemory(0, 2 + scsi.SenseLength), StatSnUse.Advance, flush);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sense);
        }
    }
}
