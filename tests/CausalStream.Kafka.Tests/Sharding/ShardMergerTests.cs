using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Kafka.Sharding;

namespace CausalStream.Kafka.Tests.Sharding;

public sealed class ShardMergerTests
{
    [Fact]
    public void ShardPlanCoversEveryChannelOnce()
    {
        Assert.Equal([0, 3, 6], ShardPlan.Targets(8, 0, 3));
        Assert.Equal([1, 4, 7], ShardPlan.Targets(8, 1, 3));
        Assert.Equal([2, 5], ShardPlan.Targets(8, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlan.Targets(2, 0, 3));
    }

    [Fact]
    public void MergingShardSolvesGivesTheFullSolve()
    {
        const int c = 5;
        const int lag = 2;
        var random = new Random(3);
        var values = new double[600 * c];
        for (int t = 0; t < 600; t++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                double v = random.NextDouble() - 0.5;
                if (t > 0)
                {
                    v += 0.5 * values[((t - 1) * c) + ((ch + 1) % c)];
                }

                values[(t * c) + ch] = v;
            }
        }

        var stream = new StreamInfo("x", "EEG", "", c, 100, ChannelFormat.Double64);
        CausalGraph Graph(int[]? targets) => GrangerGraphBuilder.Build(stream, VarGrangerSolver.Fit(values, c, lag, new GrangerOptions { TargetChannels = targets }), 0, 5.99, 600, 1);
        var full = Graph(null);
        var merger = new ShardMerger(2);
        Assert.False(merger.TryAdd(Graph(ShardPlan.Targets(c, 1, 2)), 1, out _));
        Assert.True(merger.TryAdd(Graph(ShardPlan.Targets(c, 0, 2)), 0, out var merged));
        Assert.False(merger.TryAdd(Graph(ShardPlan.Targets(c, 0, 2)), 0, out _));
        Cluster.GraphAssert.Equal(full, merged!, 1e-12);
    }

    [Fact]
    public void GraphJsonRoundTrips()
    {
        var graph = new CausalGraph("s", 1.5, 2.5, 100, 97, 1, ["a", "b"], "granger", 3, "fdr_bh", 0.05, false, 4,
            [new CausalEdge(0, 1, 0.25, 3.5, 3, 180, 0.01, double.NaN, true, [0.1, 0.2, 0.3], [1, 2, 3])]);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            CausalStream.Core.Sinks.ResultJson.WriteGraph(writer, graph);
        }

        var back = GraphJsonReader.Read(buffer.WrittenSpan);
        Assert.Equal(graph.Channels, back.Channels);
        Assert.Equal(graph.Edges[0].LagCoefficients, back.Edges[0].LagCoefficients);
        Assert.True(double.IsNaN(back.Edges[0].AdjustedPValue));
        Assert.Equal(graph.Edges[0].Statistic, back.Edges[0].Statistic);
    }
}
