namespace SharpSan.Tgt.Tgtadm;

/// <summary>tgtadm's --device-type (usr/tgtadm.c str_to_device_type), as SCSI peripheral device types.</summary>
internal enum TgtDeviceType
{
    Disk = 0x00,
    Tape = 0x01,
    Mmc = 0x05,
    MediumChanger = 0x08,
    Controller = 0x0c,
    Osd = 0x11,
    /// <summary>tgt's TYPE_PT (pass-through, bsg/sg backing stores).</summary>
    PassThrough = 0xff,
}
