namespace SharpSan.IscsiAdm.Backends;

/// <summary>A LUN a session exposes and the local block device attached to it (e.g. "sdb", or SharpSAN's FUSE device).</summary>
public sealed record AttachedDevice(int TargetId, int Lun, string? DeviceName, string State = "running");
