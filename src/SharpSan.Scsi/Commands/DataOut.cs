namespace SharpSan.Scsi;

/// <summary>
/// Parameter lists the application client sends (Data-Out) with a command that has a PARAMETER LIST
/// LENGTH (LOG SELECT, SET TARGET PORT GROUPS, EXTENDED COPY, ...): the counterpart of <see cref="DataIn"/>.
/// </summary>
internal static class DataOut
{
    /// <summary>Common parse: the PARAMETER LIST LENGTH becomes the transfer length. A length of zero
    /// transfers nothing and is not an error (SPC-4 4.2.5.5; each command says what zero then means).</summary>
    public static bool Expect(ScsiTask task, int parameterListLength)
    {
        task.Direction = parameterListLength == 0 ? DataDirection.None : DataDirection.Write;
        task.TransferLength = parameterListLength;
        return true;
    }

    /// <summary>The parameter list as the CDB announced it (<see cref="ScsiTask.TransferLength"/> bytes);
    /// false, with PARAMETER LIST LENGTH ERROR, when fewer bytes arrived.</summary>
    public static bool TryReceive(ScsiTask task, out ReadOnlySpan<byte> list)
    {
        int length = task.TransferLength;
        if (task.Buffer is null || task.DataLength < length)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            list = default;
            return false;
        }

        list = task.Buffer.AsSpan(0, length);
        return true;
    }
}
