using System.Runtime.InteropServices;

namespace SharpSan.Platform;

/// <summary>struct iovec (readv(2), writev(2), preadv2(2)): one buffer of a gathered or scattered call.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct IoVec
{
    public void* Base;
    public nuint Length;
}
