using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace SharpSan.Target;

/// <summary>
/// The <see cref="FileStream"/> that <see cref="System.Net.Sockets.SendPacketsElement"/> needs for a
/// backstore's zero-copy descriptor (IBackstore.TryGetZeroCopyRange hands out the descriptor, not a
/// stream: how a fabric sends a file is the fabric's business). One stream per descriptor, made on
/// first use and kept as long as the descriptor lives, so a read allocates nothing here.
/// </summary>
internal static class SendableFile
{
    private static readonly ConditionalWeakTable<SafeFileHandle, FileStream> Streams = new();

    public static FileStream For(SafeFileHandle handle) =>
        Streams.GetValue(handle, static h => new FileStream(h, FileAccess.Read, bufferSize: 0, isAsync: h.IsAsync));
}
