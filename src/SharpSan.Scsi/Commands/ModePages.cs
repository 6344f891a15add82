using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>The mode pages of a logical unit: caching (SBC-3 6.4.5), control (SPC-4 7.5.8) and
/// informational exceptions control (SPC-4 7.5.11).</summary>
internal static class ModePages
{
    public const byte Caching = 0x08;
    public const byte Control = 0x0A;
    public const byte InformationalExceptions = 0x1C;
    public const byte AllPages = 0x3F;

    /// <summary>Largest page, header included.</summary>
    public const int MaxPageLength = 20;

    /// <summary>Ascending order, the order MODE SENSE returns for ALL PAGES.</summary>
    public static ReadOnlySpan<byte> Supported => [Caching, Control, InformationalExceptions];

    public static bool IsSupported(byte page) => Supported.IndexOf(page) >= 0;

    /// <summary>Writes one page (page code, page length, parameters) and returns its length, or 0 when
    /// the page is not supported.</summary>
    public static int Build(byte page, PageControl control, LogicalUnit unit, Span<byte> destination)
    {
        int length = page switch
        {
            Caching => 20,
            Control => 12,
            InformationalExceptions => 12,
            _ => 0,
        };
        if (length == 0)
        {
            return 0;
        }

        Span<byte> p = destination[..length];
        p.Clear();
        p[0] = page;
        p[1] = (byte)(length - 2);
        if (control == PageControl.Changeable)
        {
            if (page == Control)
            {
                p[2] = 0x04; // D_SENSE
                p[4] = 0x08; // SWP (software write protect, SPC-4 7.5.8)
                p[5] = 0x40; // TAS; QERR stays 00b (not changeable: 01b would need every CHECK CONDITION to abort the nexus' tasks)
            }

            return length;
        }

        switch (page)
        {
            case Caching:
                // WCE (byte 2 bit 2) mirrors the backstore's write cache; RCD=0 (read cache on).
                if (unit.Backstore.WriteCacheEnabled)
                {
                    p[2] = 0x04;
                }

                break;
            case Control:
                // TST=000b (one task set), D_SENSE (bit 2) current value, GLTSD=0, RLEC=0.
                if (control == PageControl.Current && unit.DescriptorSense)
                {
                    p[2] = 0x04;
                }

                p[3] = 0x10;  // QUEUE ALGORITHM MODIFIER 1h: unrestricted reordering; QERR=00b
                // RAC=0, UA_INTLCK_CTRL=00b, SWP (bit 3) current value (0 as the default).
                p[4] = control == PageControl.Current && unit.SoftwareWriteProtect ? (byte)0x08 : (byte)0x00;
                // ATO=0, AUTOLOAD MODE 0; TAS (bit 6) current value, 1 by default as LIO's emulate_tas.
                if (control != PageControl.Current || unit.TaskAbortedStatus)
                {
                    p[5] = 0x40;
                }

                BinaryPrimitives.WriteUInt16BigEndian(p[8..], 0xFFFF); // BUSY TIMEOUT PERIOD: unlimited
                break;
            case InformationalExceptions:
                // PERF=0, EWASC=0, DEXCPT=0, TEST=0, LOGERR=0, MRIE=0h: no reporting.
                break;
        }

        return length;
    }

    /// <summary>The device-specific parameter of the mode parameter header (SBC-3 6.4.1): WP (bit 7)
    /// when this nexus may not write, DPOFUA (bit 4) because DPO and FUA are supported.</summary>
    public static byte DeviceSpecificParameter(in LunEntry entry) =>
        (byte)(0x10 | (entry.WriteProtected || entry.Unit.WriteProtected ? 0x80 : 0x00));
}
