namespace SharpSan.Scsi;

/// <summary>Hands parameter data to the initiator, truncated to the allocation length (SPC-4 4.2.5.6).</summary>
internal static class DataIn
{
    /// <summary>Copies at most <see cref="ScsiTask.TransferLength"/> bytes of <paramref name="data"/> into
    /// the task's buffer and sets <see cref="ScsiTask.DataLength"/>.</summary>
    public static void Respond(ScsiTask task, ReadOnlySpan<byte> data)
    {
        int length = Math.Min(data.Length, task.TransferLength);
        if (task.Buffer is null)
        {
            length = 0;
        }
        else
        {
            length = Math.Min(length, task.Buffer.Length);
            data[..length].CopyTo(task.Buffer);
        }

        task.DataLength = length;
    }

    /// <summary>Common parse for Data-In commands: the allocation length becomes the transfer length.</summary>
    public static bool Allocate(ScsiTask task, int allocationLength)
    {
        task.Direction = allocationLength == 0 ? DataDirection.None : DataDirection.Read;
        task.TransferLength = allocationLength;
        return true;
    }
}
