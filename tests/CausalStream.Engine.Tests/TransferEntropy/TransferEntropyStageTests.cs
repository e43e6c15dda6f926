using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Engine.TransferEntropy;

namespace CausalStream.Engine.Tests.TransferEntropy;

/// <summary>The live transfer-entropy stage: per-hop graphs equal the batch estimate on the same window, and bad settings are refused.</summary>
public sealed class TransferEntropyStageTests
{
    [Fact]
    public async Task EveryHopFindsTheQuadraticCouplingAndEqualsTheBatchEstimate()
    {
        const int samples = 2500;
        var data = Quadratic(samples, seed: 6);
        var stream = new StreamInfo("lfp", "LFP", "sim", 2, 250, ChannelFormat.Double64);
        var estimator = new TransferEntropyOptions { Surrogates = 19 };
        var options = new TransferEntropyStageOptions { WindowSamples = 1500, HopSamples = 500, Pairs = [(0, 1), (1, 0)], Estimator = estimator, Fdr = false, SkipWhenBusy = false };
        var stage = new TransferEntropyStage(stream, options);
        var publisher = new ListPublisher();
        for (int start = 0; start < samples; start += 50)
        {
            using var chunk = SampleChunk.Rent(stream, 50);
            data.AsSpan(start * 2, 100).CopyTo(chunk.Values);
            for (int k = 0; k < 50; k++)
            {
                chunk.Timestamps[k] = (start + k) / 250.0;
            }
            await stage.OnChunkAsync(chunk, publisher, CancellationToken.None);
        }
        await stage.CompleteAsync(publisher, CancellationToken.None);

        var graphs = publisher.Results.Cast<CausalGraph>().ToList();
        Assert.Equal(3, graphs.Count); // windows ending at samples 1500, 2000, 2500
        for (int g = 0; g < graphs.Count; g++)
        {
            var graph = graphs[g];
            Assert.Equal("te-ksg", graph.Method);
            Assert.Equal(g + 1, graph.Sequence);
            Assert.Equal((999 + (500 * g) + 500) / 250.0, graph.WindowEnd, 9);
            int first = 500 * g;
            var batch = TransferEntropyEstimator.Ksg(data.AsSpan(first * 2, 1500 * 2), 2, 0, 1, estimator);
            var forward = graph.Edges.Single(e => e.Source == 0);
            Assert.Equal(batch.Value, forward.Weight, 12);
            Assert.Equal(batch.PValue, forward.PValue, 12);
            Assert.True(forward.Significant);
            Assert.True(forward.Weight > 0.2);
            Assert.True(graph.Edges.Single(e => e.Source == 1).Weight < 0.05);
        }
    }

    [Fact]
    public void BadSettingsAreRefusedNamingTheStream()
    {
        var stream = new StreamInfo("lfp", "LFP", "sim", 3, 250, ChannelFormat.Float32);
        var error = Assert.Throws<ArgumentException>(() => new TransferEntropyStage(stream, new TransferEntropyStageOptions { WindowSamples = 50, HopSamples = 10, Pairs = [(0, 1)] }));
        Assert.Contains("'lfp'", error.Message);
        Assert.Contains($"at least {TransferEntropyStageOptions.MinimumWindowSamples(1)}", error.Message);
        error = Assert.Throws<ArgumentException>(() => new TransferEntropyStage(stream, new TransferEntropyStageOptions { WindowSamples = 500, HopSamples = 10, Pairs = [(0, 3)] }));
        Assert.Contains("pair 0 -> 3", error.Message);
        error = Assert.Throws<ArgumentException>(() => new TransferEntropyStage(stream, new TransferEntropyStageOptions { WindowSamples = 500, HopSamples = 10, Pairs = [] }));
        Assert.Contains("at least one channel pair", error.Message);
    }

    private static double[] Quadratic(int samples, int seed)
    {
        var rng = new Random(seed);
        var data = new double[samples * 2];
        for (int t = 1; t < samples; t++)
        {
            double xPrev = data[(t - 1) * 2];
            data[t * 2] = Gauss(rng);
            data[(t * 2) + 1] = (0.4 * data[((t - 1) * 2) + 1]) + (0.6 * ((xPrev * xPrev) - 1)) + (0.5 * Gauss(rng));
        }
        return data;
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private sealed class ListPublisher : IResultPublisher
    {
        public List<PipelineResult> Results { get; } = [];

        public ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            lock (Results)
            {
                Results.Add(result);
            }
            return ValueTask.CompletedTask;
        }
    }
}
