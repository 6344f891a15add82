namespace SharpSan.Scsi.Tests;

public class HotPathTests
{
    [Fact]
    public void Prepare_and_execute_of_read_and_write_do_not_allocate()
    {
        var harness = new Harness();
        var task = new ScsiTask();
        byte[] buffer = new byte[8 * 512];

        long Run(byte[] cdb, bool write)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            task.Reset();
            task.Nexus = Harness.NexusA;
            task.LunMap = harness.Map;
            task.CdbLength = cdb.Length;
            cdb.CopyTo(task.CdbBuffer);
            task.ExpectedDataTransferLength = (uint)buffer.Length;
            bool prepared = ScsiDispatcher.Prepare(task);
            task.Buffer = buffer;
            task.DataLength = write ? buffer.Length : 0;
            bool completed = ScsiDispatcher.ExecuteAsync(task, CancellationToken.None).IsCompletedSuccessfully;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(prepared && completed && task.Status == ScsiStatus.Good);
            return allocated;
        }

        byte[] write10 = Harness.Write10(8, 8, 0x08);
        byte[] read16 = Harness.Cdb16(0x88, 0, 8, 8);
        for (int i = 0; i < 100; i++)
        {
            Run(write10, true);
            Run(read16, false);
        }

        Assert.Equal(0, Run(write10, true));
        Assert.Equal(0, Run(read16, false));
        Assert.Equal(8 * 512, task.DataLength);
    }
}
