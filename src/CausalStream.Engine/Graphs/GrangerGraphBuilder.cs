using CausalStream.Core.Streams;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Graphs;

/// <summary>Turns a solved <see cref="GrangerResult"/> into the immutable <see cref="CausalGraph"/> record that sinks receive.</summary>
public static class GrangerGraphBuilder
{
    public static CausalGraph Build(StreamInfo stream, GrangerResult result, double windowStart, double windowEnd, int samples, long sequence)
    {
        int c = result.Channels;
        int p = result.Lags;
        var edges = new CausalEdge[result.TargetCount * (c - 1)];
        int k = 0;
        for (int target = 0; target < c; target++)
        {
            if (!result.IsTargetTested(target))
            {
                continue;
            }
            for (int source = 0; source < c; source++)
            {
                if (source == target)
                {
                    continue;
                }

                var coefficients = new double[p];
                var t = new double[p];
                for (int lag = 1; lag <= p; lag++)
                {
                    coefficients[lag - 1] = result.Coefficient(target, source, lag);
                    t[lag - 1] = result.CoefficientT(target, source, lag);
                }

                edges[k++] = new CausalEdge(
                    source,
                    target,
                    result.Magnitude(target, source),
                    result.F(target, source),
                    result.Df1,
                    result.Df2,
                    result.PValue(target, source),
                    result.AdjustedPValue(target, source),
                    result.IsSignificant(target, source),
                    coefficients,
                    t);
            }
        }

        return new CausalGraph(
            stream.Name,
            windowStart,
            windowEnd,
            samples,
            result.RowsUsed,
            result.RowsSkippedNaN,
            stream.ChannelLabels,
            "granger",
            p,
            CorrectionName(result.Correction),
            result.Alpha,
            (result.Flags & (GrangerFlags.RidgeApplied | GrangerFlags.Singular)) != 0,
            sequence,
            edges);
    }

    public static string CorrectionName(MultipleTestCorrection correction) => correction switch
    {
        MultipleTestCorrection.BenjaminiHochberg => "fdr_bh",
        MultipleTestCorrection.Bonferroni => "bonferroni",
        _ => "none",
    };
}
