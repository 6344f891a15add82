namespace SharpSan.Scsi.Devices.Controller;

/// <summary>
/// What stands behind tgt's LUN 0 of every target: a storage array controller (SCC-2, peripheral
/// device type 0Ch) with no medium at all. It declares the controller device type, so its logical unit
/// serves the SCC command set of <see cref="ControllerCommandTable"/>, and it holds no blocks; nothing
/// in that command set reads or writes.
/// </summary>
public sealed class ControllerBackstore : IBackstore
{
    private static readonly BackstoreCapabilities Controller = new() { DeviceType = PeripheralDeviceType.StorageArrayController };

    /// <param name="name">A name for sessions and logs (e.g. tgt1_lun0).</param>
    public ControllerBackstore(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    public string Name { get; }
    public string Plugin => "controller";

    /// <summary>Not used by any command of a controller; 512 keeps arithmetic elsewhere well defined.</summary>
    public int BlockSize => 512;
    public ulong BlockCount => 0;
    public bool WriteCacheEnabled => false;
    public bool ReadOnly => true;
    public BackstoreCapabilities Capabilities => Controller;

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken) =>
        throw new IOException("a storage array controller has no medium.");

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken) =>
        throw new IOException("a storage array controller has no medium.");

    public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    public ValueTask DisposeAsync() => default;
}
