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
        var coefficientArray = result.CoefficientArray;   // row 1 + (lag − 1)·C + source, column target
        var tArray = result.TArray;
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
                for (int lag = 1, at = (1 + source) * c + target; lag <= p; lag++, at += c * c)
                {
                    coefficients[lag - 1] = coefficientArray[at];
                    t[lag - 1] = tArray[at];
                }

                int pair = target * c + source;
                edges[k++] = new CausalEdge(
                    source,
                    target,
                    result.MagnitudeArray[pair],
                    result.FArray[pair],
                    result.Df1,
                    result.Df2,
                    result.PArray[pair],
                    result.QArray[pair],
                    result.SignificantArray[pair],
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
