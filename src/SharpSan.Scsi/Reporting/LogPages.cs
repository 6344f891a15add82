using System.Buffers.Binary;

namespace SharpSan.Scsi.Reporting;

/// <summary>
/// The log pages of a disk (SPC-4 7.3, SBC-3 6.5): what sg_logs, smartctl and libiscsi read. A virtual
/// disk has no sensor, mechanics or self-test, so the pages say so in the standard's own terms (a
/// temperature of FFh is "not available", empty self-test entries, no informational exception) rather
/// than inventing values. No page keeps saved or threshold values: DS=1 on every page.
/// </summary>
internal static class LogPages
{
    public const byte SupportedPages = 0x00;
    public const byte LogicalBlockProvisioning = 0x0C;
    public const byte Temperature = 0x0D;
    public const byte StartStopCycleCounter = 0x0E;
    public const byte SelfTestResults = 0x10;
    public const byte InformationalExceptions = 0x2F;

    /// <summary>SUBPAGE CODE FFh of page 00h: the supported pages and subpages (SPC-4 7.3.18).</summary>
    public const byte AllSubpages = 0xFF;

    /// <summary>Largest page, header included (self-test results: 4 + 20 x 20).</summary>
    public const int MaxPageLength = 404;

    /// <summary>Ascending, as SPC-4 7.3.18 lists them; every page has subpage 00h only.</summary>
    private static ReadOnlySpan<byte> Pages =>
        [SupportedPages, LogicalBlockProvisioning, Temperature, StartStopCycleCounter, SelfTestResults, InformationalExceptions];

    /// <summary>Parameter control byte (SPC-4 7.3.2.2.2): FORMAT AND LINKING 11b (binary format list).</summary>
    private const byte BinaryList = 0x03;

    /// <summary>FORMAT AND LINKING 01b (ASCII format list).</summary>
    private const byte AsciiList = 0x01;

    /// <summary>FORMAT AND LINKING 10b (bounded or unbounded data counter).</summary>
    private const byte Counter = 0x02;

    public static bool IsSupported(byte page, byte subpage) =>
        Pages.IndexOf(page) >= 0 && (subpage == 0 || (page == SupportedPages && subpage == AllSubpages));

    /// <summary>Writes the page (header and every parameter) and returns its length; the caller checked
    /// <see cref="IsSupported"/>.</summary>
    public static int Build(byte page, byte subpage, LogicalUnit unit, Span<byte> destination)
    {
        destination[..MaxPageLength].Clear();
        destination[0] = (byte)(0x80 | page); // DS=1: parameters are not saved
        destination[1] = subpage;
        if (subpage != 0)
        {
            destination[0] |= 0x40; // SPF
        }

        Span<byte> body = destination[4..];
        int length = page switch
        {
            SupportedPages => subpage == 0 ? BuildSupportedPages(body) : BuildSupportedSubpages(body),
            LogicalBlockProvisioning => BuildProvisioning(unit, body),
            Temperature => BuildTemperature(body),
            StartStopCycleCounter => BuildStartStopCycleCounter(body),
            SelfTestResults => BuildSelfTestResults(body),
            _ => BuildInformationalExceptions(body),
        };
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        return 4 + length;
    }

    /// <summary>True when the page is a list of parameters (every page but the supported pages lists).</summary>
    public static bool HasParameters(byte page) => page != SupportedPages;

    private static int BuildSupportedPages(Span<byte> body)
    {
        Pages.CopyTo(body);
        return Pages.Length;
    }

    private static int BuildSupportedSubpages(Span<byte> body)
    {
        int offset = 0;
        foreach (byte page in Pages)
        {
            body[offset++] = page;
            body[offset++] = 0x00;
            if (page == SupportedPages)
            {
                body[offset++] = page;
                body[offset++] = AllSubpages;
            }
        }

        return offset;
    }

    /// <summary>SBC-3 6.5.? Logical Block Provisioning log page: AVAILABLE (0001h) and USED (0002h) LBA
    /// MAPPING RESOURCE COUNT, in logical blocks (THRESHOLD EXPONENT 0 in VPD page B2h), saturating
    /// at the 32-bit field; SCOPE 01b: dedicated to this logical unit.</summary>
    private static int BuildProvisioning(LogicalUnit unit, Span<byte> body)
    {
        unit.GetMappingResources(out ulong used, out ulong available);
        int offset = Parameter(body, 0x0001, BinaryList, 8);
        BinaryPrimitives.WriteUInt32BigEndian(body[offset..], (uint)Math.Min(available, uint.MaxValue));
        body[offset + 4] = 0x01;
        offset += 8;
        offset += Parameter(body[offset..], 0x0002, BinaryList, 8);
        BinaryPrimitives.WriteUInt32BigEndian(body[offset..], (uint)Math.Min(used, uint.MaxValue));
        body[offset + 4] = 0x01;
        return offset + 8;
    }

    /// <summary>SPC-4 7.3.21: TEMPERATURE (0000h) and REFERENCE TEMPERATURE (0001h); FFh: no valid value.</summary>
    private static int BuildTemperature(Span<byte> body)
    {
        int offset = Parameter(body, 0x0000, BinaryList, 2);
        body[offset + 1] = 0xFF;
        offset += 2;
        offset += Parameter(body[offset..], 0x0001, BinaryList, 2);
        body[offset + 1] = 0xFF;
        return offset + 2;
    }

    /// <summary>SPC-4 7.3.20: DATE OF MANUFACTURE and ACCOUNTING DATE (ASCII year and week, spaces: not
    /// set), then the specified and accumulated start-stop and load-unload counts (0: none).</summary>
    private static int BuildStartStopCycleCounter(Span<byte> body)
    {
        int offset = 0;
        for (ushort code = 0x0001; code <= 0x0002; code++)
        {
            offset += Parameter(body[offset..], code, AsciiList, 6);
            body.Slice(offset, 6).Fill((byte)' ');
            offset += 6;
        }

        for (ushort code = 0x0003; code <= 0x0006; code++)
        {
            offset += Parameter(body[offset..], code, Counter, 4);
            offset += 4;
        }

        return offset;
    }

    /// <summary>SPC-4 7.3.17: twenty self-test results parameters (0001h-0014h), all zero: no self-test has
    /// been run (SEND DIAGNOSTIC self-tests are not implemented).</summary>
    private static int BuildSelfTestResults(Span<byte> body)
    {
        int offset = 0;
        for (ushort code = 0x0001; code <= 0x0014; code++)
        {
            offset += Parameter(body[offset..], code, BinaryList, 0x10);
            offset += 0x10;
        }

        return offset;
    }

    /// <summary>SPC-4 7.3.8: the informational exceptions general parameter (0000h): no exception
    /// (ASC/ASCQ 00h/00h), MOST RECENT TEMPERATURE READING FFh (none).</summary>
    private static int BuildInformationalExceptions(Span<byte> body)
    {
        int offset = Parameter(body, 0x0000, BinaryList, 3);
        body[offset + 2] = 0xFF;
        return offset + 3;
    }

    private static int Parameter(Span<byte> destination, ushort code, byte control, byte length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, code);
        destination[2] = control;
        destination[3] = length;
        return 4;
    }
}
