namespace SharpSan.Scsi.Devices.Controller;

/// <summary>
/// The command set of a storage array controller LUN (SCC-2, peripheral device type 0Ch) as tgt serves
/// it at LUN 0 of every target (usr/scc.c): the SPC-4 commands every logical unit answers — TEST UNIT
/// READY, REQUEST SENSE, INQUIRY (standard data and VPD 00h, 80h, 83h), REPORT LUNS — and VERIFY
/// (10/12/16), which tgt answers like TEST UNIT READY. Anything else is ILLEGAL REQUEST, INVALID
/// COMMAND OPERATION CODE (SPC-4 4.5.6); there is no medium to read or write.
/// </summary>
internal static class ControllerCommandTable
{
    public static CommandSet Commands { get; } = new(
    [
        new(ScsiOpcode.TestUnitReady, 6, CommandFlags.None, SpcCommands.ParseNoData, SpcCommands.Good),
        new(ScsiOpcode.RequestSense, 6, CommandTable.Inventory, SpcCommands.ParseRequestSense, SpcCommands.ExecuteRequestSense),
        new(ScsiOpcode.Inquiry, 6, CommandTable.Inventory, InquiryCommand.Parse, InquiryCommand.Execute),
        new(ScsiOpcode.ReportLuns, 12, CommandTable.Inventory, ReportLunsCommand.Parse, ReportLunsCommand.Execute),

        // tgt's scc.c maps VERIFY to its TEST UNIT READY handler: no data is compared, GOOD.
        new(ScsiOpcode.Verify10, 10, CommandFlags.None, SpcCommands.ParseNoData, SpcCommands.Good),
        new(ScsiOpcode.Verify12, 12, CommandFlags.None, SpcCommands.ParseNoData, SpcCommands.Good),
        new(ScsiOpcode.Verify16, 16, CommandFlags.None, SpcCommands.ParseNoData, SpcCommands.Good),
    ]);
}
