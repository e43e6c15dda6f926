using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;
using CausalStream.Engine.Tests.TestData;

namespace CausalStream.Engine.Tests.Graphs;

/// <summary>Solving only a subset of target equations (one shard of a sharded worker) against the all-targets solve.</summary>
public sealed class VarGrangerSolverTargetShardTests
{
    [Fact]
    public void ShardTestsEqualTheFullSolveForItsTargetsAndMergedQValuesEqualTheFullQValues()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        int c = data.Channels;
        const int lags = 3;
        var full = VarGrangerSolver.Fit(data.Values, c, lags);
        var shardA = VarGrangerSolver.Fit(data.Values, c, lags, new GrangerOptions { TargetChannels = [0, 3] });
        var shardB = VarGrangerSolver.Fit(data.Values, c, lags, new GrangerOptions { TargetChannels = [4, 1, 2] });

        Assert.Equal(2, shardA.TargetCount);
        Assert.Equal(3, shardB.TargetCount);
        var merged = new List<double>();
        var fullQ = new List<double>();
        for (int target = 0; target < c; target++)
        {
            var shard = target is 0 or 3 ? shardA : shardB;
            var other = target is 0 or 3 ? shardB : shardA;
            Assert.True(shard.IsTargetTested(target));
            Assert.False(other.IsTargetTested(target));
            for (int source = 0; source < c; source++)
            {
                if (source == target)
                {
                    continue;
                }
                Assert.Equal(full.F(target, source), shard.F(target, source), 12);
                Assert.Equal(full.PValue(target, source), shard.PValue(target, source), 12);
                Assert.Equal(1.0, other.PValue(target, source));
                Assert.False(other.IsSignificant(target, source));
                merged.Add(shard.PValue(target, source));
                fullQ.Add(full.AdjustedPValue(target, source));
            }
        }

        // The shard's own q-values are adjusted over its pairs only, so they are at most the full family's.
        Assert.True(shardA.AdjustedPValue(0, 1) <= full.AdjustedPValue(0, 1) + 1e-15);
        var requeried = MultipleTesting.BenjaminiHochberg(merged.ToArray());
        for (int n = 0; n < requeried.Length; n++)
        {
            Assert.Equal(fullQ[n], requeried[n], 12);
        }
    }

    [Fact]
    public void ShardGraphHoldsOnlyEdgesIntoItsTargets()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        int c = data.Channels;
        var shard = VarGrangerSolver.Fit(data.Values, c, 3, new GrangerOptions { TargetChannels = [2] });
        var stream = new StreamInfo("shard", "EEG", "src", c, 1000, ChannelFormat.Float32, data.Names);
        var graph = GrangerGraphBuilder.Build(stream, shard, 0, 1, data.Samples, 7);
        Assert.Equal(c - 1, graph.Edges.Count);
        foreach (var edge in graph.Edges)
        {
            Assert.Equal(2, edge.Target);
        }
    }

    [Fact]
    public void BadTargetListsAreRejectedWithTheIndex()
    {
        var data = FixtureData.LoadCsv("var5_p3.csv");
        var outOfRange = Assert.Throws<ArgumentException>(
            () => VarGrangerSolver.Fit(data.Values, data.Channels, 2, new GrangerOptions { TargetChannels = [1, 9] }));
        Assert.Contains("TargetChannels[1] = 9", outOfRange.Message);
        var repeated = Assert.Throws<ArgumentException>(
            () => VarGrangerSolver.Fit(data.Values, data.Channels, 2, new GrangerOptions { TargetChannels = [1, 1] }));
        Assert.Contains("repeats", repeated.Message);
        Assert.Throws<ArgumentException>(
            () => VarGrangerSolver.Fit(data.Values, data.Channels, 2, new GrangerOptions { TargetChannels = [] }));
    }
}
