namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>Whether a logical unit has a given logical unit designator of its VPD page 83h (SPC-4
/// 7.8.6): the NAA IEEE Registered Extended one, or the T10 vendor ID one when it fits in the 20 bytes
/// an identification CSCD descriptor holds.</summary>
internal static class CopyTargetIdentity
{
    /// <summary>
    /// The unit a designator names: <paramref name="self"/> when it has it (the initiator knows the unit it
    /// addresses by that designator), else the one unit of its <see cref="LogicalUnit.CopyTargets"/> that
    /// has it; null when none does, or when more than one does (units whose wwns share the digits the
    /// NAA designator keeps): a copy must never go to a unit picked at random.
    /// </summary>
    public static LogicalUnit? Resolve(LogicalUnit self, byte designatorType, ReadOnlySpan<byte> designator)
    {
        if (Matches(self, designatorType, designator))
        {
            return self;
        }

        LogicalUnit? found = null;
        foreach (LogicalUnit unit in self.CopyTargets?.Units ?? [])
        {
            if (ReferenceEquals(unit, found) || !Matches(unit, designatorType, designator))
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = unit;
        }

        return found;
    }

    public static bool Matches(LogicalUnit unit, byte designatorType, ReadOnlySpan<byte> designator)
    {
        Span<byte> own = stackalloc byte[64];
        int length;
        switch (designatorType)
        {
            case CscdDescriptor.DesignatorNaa:
                VpdPages.BuildNaa(unit.Identity.Wwn, own);
                length = 16;
                break;
            case CscdDescriptor.DesignatorT10VendorId:
                length = T10Designator(unit.Identity, own);
                break;
            default:
                return false;
        }

        return designator.SequenceEqual(own[..length]);
    }

    /// <summary>The T10 vendor ID designator as VPD page 83h reports it (see VpdPages).</summary>
    private static int T10Designator(LogicalUnitIdentity identity, Span<byte> own)
    {
        if (identity.T10VendorDesignator.Length > 0)
        {
            return Ascii.Write(own, identity.T10VendorDesignator);
        }

        Ascii.Pad(own[..8], identity.VendorId);
        return 8 + Ascii.Write(own[8..], identity.Wwn);
    }
}
