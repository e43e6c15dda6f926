using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>Compares graphs edge by edge with a relative tolerance.</summary>
internal static class GraphAssert
{
    public static void Equal(CausalGraph expected, CausalGraph actual, double tolerance)
    {
        Assert.Equal(expected.Stream, actual.Stream);
        Assert.Equal(expected.WindowStart, actual.WindowStart);
        Assert.Equal(expected.WindowEnd, actual.WindowEnd);
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.RowsUsed, actual.RowsUsed);
        Assert.Equal(expected.Edges.Count, actual.Edges.Count);
        for (int i = 0; i < expected.Edges.Count; i++)
        {
            var e = expected.Edges[i];
            var a = actual.Edges[i];
            Assert.Equal((e.Source, e.Target), (a.Source, a.Target));
            Close(e.Statistic, a.Statistic, tolerance, "F", e);
            Close(e.PValue, a.PValue, tolerance, "p", e);
            Close(e.AdjustedPValue, a.AdjustedPValue, tolerance, "q", e);
            Close(e.Weight, a.Weight, tolerance, "weight", e);
            Assert.Equal(e.Significant, a.Significant);
        }
    }

    private static void Close(double expected, double actual, double tolerance, string what, CausalEdge edge)
    {
        double scale = Math.Max(1e-300, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, scale), $"{what} of {edge.Source}->{edge.Target}: expected {expected:R}, got {actual:R}");
    }
}
