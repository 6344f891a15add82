namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>Why an EXTENDED COPY parameter list is refused before any segment is processed (SPC-4
/// 6.4.3: ILLEGAL REQUEST with a field pointer into the parameter list, or none when -1).</summary>
internal readonly record struct CopyParameterError(SenseReason Reason, int FieldByte, int FieldBit);
