using System.Text;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Pipeline;

/// <summary>No visible LSL stream matched a query; the message lists the query, the timeout and every stream that was seen.</summary>
public sealed class LslStreamNotFoundException : Exception
{
    public LslStreamNotFoundException(string query, double timeoutSeconds, IReadOnlyList<LslStreamInfo> visible)
        : base(Describe(query, timeoutSeconds, visible))
    {
        Query = query;
        Visible = visible;
    }

    public string Query { get; }

    /// <summary>The streams that were visible when the search ended.</summary>
    public IReadOnlyList<LslStreamInfo> Visible { get; }

    private static string Describe(string query, double timeoutSeconds, IReadOnlyList<LslStreamInfo> visible)
    {
        var sb = new StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"no LSL stream matches \"{query}\" (searched {timeoutSeconds:0.##} s); ");
        if (visible.Count == 0)
        {
            sb.Append("no streams are visible (check that the outlet runs, the LSL scope and known peers in lsl_api.cfg, and the firewall for UDP 16571-16603)");
        }
        else
        {
            sb.Append(visible.Count).Append(visible.Count == 1 ? " stream is" : " streams are").Append(" visible:");
            foreach (var info in visible)
            {
                sb.Append("\n  - ").Append(info);
            }
        }

        return sb.ToString();
    }
}
