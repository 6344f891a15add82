using SharpSan.IscsiAdm.Output;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>-o update -n NAME -v VALUE on a node or discovery record.</summary>
internal static class RecordParameters
{
    /// <summary>idbm_node_set_rec_from_param with verify: names first, then values.</summary>
    public static IscsiError Apply(Record record, List<KeyValuePair<string, string>> parameters, CommandOutput output)
    {
        foreach (var p in parameters)
        {
            var key = record.Schema.Find(p.Key);
            if (key is null)
            {
                output.Error($"Cannot modify {p.Key}. Invalid param name.");
                return IscsiError.InvalidArgument;
            }
            if (!key.CanModify)
            {
                output.Error($"Cannot modify {p.Key}. It is used to look up the record and cannot be changed.");
                return IscsiError.InvalidArgument;
            }
        }
        foreach (var p in parameters)
        {
            var warnings = new List<string>();
            var failure = record.Update(p.Key, p.Value, warnings);
            foreach (var w in warnings)
                output.Error(w);
            if (failure is not null)
            {
                output.Error(failure);
                output.Error($"Unknown parameter {p.Key}.");
                return IscsiError.InvalidArgument;
            }
        }
        return IscsiError.Success;
    }
}
