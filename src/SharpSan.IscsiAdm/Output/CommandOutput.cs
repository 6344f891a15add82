using System.Globalization;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Output;

/// <summary>
/// What every iscsiadm mode writes: informational lines on stdout (log_info), errors and warnings on
/// stderr prefixed "iscsiadm: " (log_error / log_warning), records and node lists as open-iscsi prints them.
/// </summary>
internal sealed class CommandOutput(TextWriter stdout, TextWriter stderr)
{
    public void Write(string text) => stdout.Write(text);

    /// <summary>log_error / log_warning: "iscsiadm: " + text on stderr.</summary>
    public void Error(string text) => stderr.Write("iscsiadm: " + text + "\n");

    /// <summary>log_info: the text on stdout.</summary>
    public void Info(string text) => stdout.Write(text + "\n");

    public void ReportInitiatorError(IscsiError error) =>
        Error($"initiator reported error ({(int)error} - {IscsiErrors.Message(error)})");

    /// <summary>One line saying why, and open-iscsi's "operation not supported" (27).</summary>
    public IscsiError NotSupported(string why)
    {
        Error(why);
        return IscsiError.OperationNotSupported;
    }

    /// <summary>`-o show`: the record, secrets masked unless -S.</summary>
    public void Record(Record record, bool showSecrets) =>
        stdout.Write(record.Format(showSecrets ? RecordFormatMode.ShowSecrets : RecordFormatMode.ShowMasked));

    /// <summary>The flat node list: "ip:port,tpgt target" per record.</summary>
    public void NodeList(IEnumerable<NodeRecord> nodes)
    {
        foreach (var n in nodes)
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"{n.PortalText},{n.Tpgt} {n.TargetName}\n"));
    }

    /// <summary>print_nodes_tree: "Target:" once per target, "\tPortal:" per record.</summary>
    public void NodeTree(IEnumerable<NodeRecord> nodes, string prefix, bool withIface)
    {
        string? previous = null;
        foreach (var n in nodes)
        {
            if (previous != n.TargetName)
                stdout.Write($"{prefix}Target: {n.TargetName}\n");
            stdout.Write(string.Create(CultureInfo.InvariantCulture, $"{prefix}\tPortal: {n.PortalText},{n.Tpgt}\n"));
            if (withIface)
                stdout.Write($"\t\tIface Name: {n.IfaceName}\n");
            previous = n.TargetName;
        }
    }
}
