using System.Runtime.CompilerServices;

namespace SharpSan.Platform.Tests;

public class IoVecTests
{
    [Fact]
    public unsafe void Has_the_layout_of_struct_iovec()
    {
        Assert.Equal(2 * IntPtr.Size, Unsafe.SizeOf<IoVec>());
        var v = new IoVec { Length = 7 };
        Assert.Equal(IntPtr.Size, (int)((byte*)&v.Length - (byte*)&v));
    }
}
