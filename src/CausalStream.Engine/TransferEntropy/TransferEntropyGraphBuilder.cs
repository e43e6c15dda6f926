using CausalStream.Core.Streams;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// Turns transfer-entropy results for a set of channel pairs into the pipeline's <see cref="CausalGraph"/> record
/// (a JSON Lines "graph" object), one edge per pair, with optional Benjamini–Hochberg adjustment across the pairs.
/// </summary>
public static class TransferEntropyGraphBuilder
{
    /// <summary>
    /// One edge per result: Weight and Statistic hold TE in nats, PValue its p-value, AdjustedPValue the BH q-value
    /// (or p without adjustment), Lag the source delay, LinkType "-->". Method is "te-" + <paramref name="estimator"/>.
    /// </summary>
    public static CausalGraph Build(IReadOnlyList<TransferEntropyResult> results, TransferEntropyOptions options, string estimator, bool fdr, string stream, IReadOnlyList<string> channels, double windowStart, double windowEnd, int samples)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(options);
        var raw = new double[results.Count];
        for (int k = 0; k < raw.Length; k++)
        {
            raw[k] = results[k].PValue;
        }
        double[] q = fdr && raw.Length > 0 ? MultipleTesting.BenjaminiHochberg(raw) : raw;
        var edges = new List<CausalEdge>(results.Count);
        int rows = results.Count > 0 ? results[0].Points : 0;
        for (int k = 0; k < results.Count; k++)
        {
            var r = results[k];
            bool significant = q[k] <= options.Alpha;
            edges.Add(new CausalEdge(r.Source, r.Target, r.Value, r.Value, double.NaN, double.NaN, r.PValue, q[k], significant, [], [], options.Delay, "-->"));
        }
        return new CausalGraph(stream, windowStart, windowEnd, samples, rows, 0, channels, "te-" + estimator, options.MaxLag, fdr ? "fdr_bh" : "none", options.Alpha, false, 1, edges);
    }
}
