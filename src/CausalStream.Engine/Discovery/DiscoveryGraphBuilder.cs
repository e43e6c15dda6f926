using CausalStream.Core.Streams;

namespace CausalStream.Engine.Discovery;

/// <summary>
/// Turns PCMCI and PC results into the pipeline's <see cref="CausalGraph"/> records (written as JSON Lines
/// "graph" objects), with the lag and link marks of each edge in <see cref="CausalEdge.Lag"/> and
/// <see cref="CausalEdge.LinkType"/>.
/// </summary>
public static class DiscoveryGraphBuilder
{
    /// <summary>
    /// One edge per tested link: every (i, j, τ) with τ ≥ 1, and each contemporaneous pair once (i &lt; j). Weight
    /// and Statistic hold the MCI partial correlation; Significant is the adjusted p-value at most alpha.
    /// </summary>
    public static CausalGraph FromPcmci(PcmciResult result, PcmciOptions options, string stream, IReadOnlyList<string> channels, double windowStart, double windowEnd, int samples, long sequence = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var edges = new List<CausalEdge>();
        int n = result.Channels;
        for (int tau = options.TauMin; tau <= options.TauMax; tau++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (tau == 0 && i >= j)
                    {
                        continue;
                    }
                    double val = result.Values[i, j, tau];
                    double q = result.AdjustedPValues[i, j, tau];
                    bool significant = q <= options.AlphaLevel;
                    edges.Add(new CausalEdge(i, j, val, val, double.NaN, double.NaN, result.PValues[i, j, tau], q, significant, [], [], tau, tau == 0 ? "o-o" : "-->"));
                }
            }
        }
        return new CausalGraph(stream, windowStart, windowEnd, samples, result.Rows, 0, channels, "pcmci", options.TauMax, options.FdrBh ? "fdr_bh" : "none", options.AlphaLevel, result.DegenerateTests > 0, sequence, edges);
    }

    /// <summary>
    /// One edge per tested PCMCI+ link: every (i, j, τ) with τ ≥ 1, and each contemporaneous pair once. A link
    /// oriented j → i at lag 0 is written with source j; "x-x" and "o-o" pairs with the smaller index as source.
    /// Weight and Statistic hold the partial correlation reported for the adjacency, PValue its (largest) p-value;
    /// Significant means the link is in the final graph, and LinkType holds its marks ("" when absent).
    /// </summary>
    public static CausalGraph FromPcmciPlus(PcmciPlusResult result, PcmciPlusOptions options, string stream, IReadOnlyList<string> channels, double windowStart, double windowEnd, int samples, long sequence = 1)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var edges = new List<CausalEdge>();
        int n = result.Channels;
        for (int tau = options.TauMin; tau <= options.TauMax; tau++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (tau == 0 && i >= j)
                    {
                        continue;
                    }
                    int s = i;
                    int t = j;
                    string link = result.Graph[i, j, tau];
                    if (link == "<--")
                    {
                        s = j;
                        t = i;
                        link = "-->";
                    }
                    double val = result.Values[s, t, tau];
                    edges.Add(new CausalEdge(s, t, val, val, double.NaN, double.NaN, result.PValues[s, t, tau], result.AdjustedPValues[s, t, tau], link.Length > 0, [], [], tau, link));
                }
            }
        }
        return new CausalGraph(stream, windowStart, windowEnd, samples, result.Rows, 0, channels, "pcmciplus", options.TauMax, options.FdrBh ? "fdr_bh" : "none", options.PcAlpha, result.DegenerateTests > 0, sequence, edges);
    }

    /// <summary>
    /// One edge per adjacency of a CPDAG or PAG. An edge with an arrowhead at only one end is written with that
    /// end as target; otherwise source is the smaller index. LinkType spells the marks ("-->", "---", "o->", "o-o",
    /// "&lt;->"). Statistics are not defined per edge and are written as null.
    /// </summary>
    public static CausalGraph FromEndpointGraph(EndpointGraph graph, string method, double alpha, string stream, IReadOnlyList<string> channels, double windowStart, double windowEnd, int samples)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var edges = new List<CausalEdge>();
        for (int a = 0; a < graph.Nodes; a++)
        {
            for (int b = a + 1; b < graph.Nodes; b++)
            {
                if (!graph.Adjacent(a, b))
                {
                    continue;
                }
                int s = a;
                int t = b;
                if (graph[a, b] == EndpointMark.Arrow && graph[b, a] != EndpointMark.Arrow)
                {
                    s = b;
                    t = a;
                }
                string link = SourceMark(graph[s, t]) + "-" + TargetMark(graph[t, s]);
                edges.Add(new CausalEdge(s, t, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, true, [], [], 0, link));
            }
        }
        return new CausalGraph(stream, windowStart, windowEnd, samples, samples, 0, channels, method, 0, "none", alpha, false, 1, edges);
    }

    private static string SourceMark(EndpointMark m) => m switch { EndpointMark.Arrow => "<", EndpointMark.Circle => "o", _ => "-" };

    private static string TargetMark(EndpointMark m) => m switch { EndpointMark.Arrow => ">", EndpointMark.Circle => "o", _ => "-" };
}
