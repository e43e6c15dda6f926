using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Streams;
using CausalStream.Engine.Discovery;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>The live PCMCI / PCMCI+ stage: same numbers as the batch run, links of a simulated network found, bad sizes refused.</summary>
public sealed class PcmciStageTests
{
    [Fact]
    public async Task WholeWindowGraphEqualsTheBatchRunOnTheSameSamples()
    {
        var simulator = Simulator(channels: 4, samples: 1500, seed: 11);
        var data = SimulatedData(simulator.Options);
        var options = new PcmciStageOptions { WindowSamples = 1500, HopSamples = 1500, TauMax = 2, PcAlpha = 0.05, AlphaLevel = 0.01, SkipWhenBusy = false };
        var graph = Assert.Single(await RunAsync(simulator, new PcmciStage(simulator.DataStream, options)));

        var batchOptions = new PcmciOptions { TauMin = 0, TauMax = 2, PcAlpha = 0.05, AlphaLevel = 0.01 };
        var batch = new Pcmci(data, 4, 2).Run(batchOptions);
        Assert.Equal("pcmci", graph.Method);
        Assert.Equal(1500 - 4, graph.RowsUsed);
        Assert.Equal((4 * 4 * 2) + 6, graph.Edges.Count);
        foreach (var edge in graph.Edges)
        {
            Assert.Equal(batch.Values[edge.Source, edge.Target, edge.Lag], edge.Weight, 9);
            Assert.True(ReferenceJson.Close(edge.PValue, batch.PValues[edge.Source, edge.Target, edge.Lag], 1e-6, 1e-280), $"p {edge.PValue} vs {batch.PValues[edge.Source, edge.Target, edge.Lag]}");
            Assert.Equal(batch.Graph[edge.Source, edge.Target, edge.Lag].Length > 0, edge.Significant);
        }
    }

    [Fact]
    public async Task PipelineFindsTheLinksOfASimulatedNetwork()
    {
        var simulator = Simulator(channels: 5, samples: 6000, seed: 23);
        var options = new PcmciStageOptions { WindowSamples = 2000, HopSamples = 1000, TauMin = 1, TauMax = 2, PcAlpha = 0.05, AlphaLevel = 0.001, SkipWhenBusy = false };
        var graphs = await RunAsync(simulator, new PcmciStage(simulator.DataStream, options));
        Assert.Equal(5, graphs.Count); // windows ending at samples 2000, 3000, …, 6000

        // Cross links with a coefficient that matters at this window length are found in every window.
        var strong = simulator.Network.Edges.Where(e => !e.IsSelf && Math.Abs(e.Coefficient) >= 0.1).ToList();
        Assert.NotEmpty(strong);
        var truth = simulator.Network.Edges.Concat(simulator.Network.SelfTerms).Select(e => (e.Source, e.Target, e.Lag)).ToHashSet();
        foreach (var graph in graphs)
        {
            foreach (var e in strong)
            {
                Assert.True(graph.Edges.Single(x => x.Source == e.Source && x.Target == e.Target && x.Lag == e.Lag).Significant, $"{e} missed in window ending {graph.WindowEnd}");
            }
            int falsePositives = graph.Edges.Count(x => x.Significant && x.Source != x.Target && !truth.Contains((x.Source, x.Target, x.Lag)));
            Assert.True(falsePositives <= 1, $"{falsePositives} false cross links in window ending {graph.WindowEnd}");
        }
    }

    [Fact]
    public async Task PcmciPlusStageOrientsAContemporaneousCollider()
    {
        // x0, x1 AR(1) drivers; x2(t) = 0.5 x0(t) − 0.5 x1(t) + 0.4 x2(t−1) + e: the collider x0 → x2 ← x1 at lag 0.
        const int samples = 3000;
        var rng = new Random(99);
        var data = new double[samples * 3];
        for (int t = 1; t < samples; t++)
        {
            double a = (0.6 * data[(t - 1) * 3]) + Gauss(rng);
            double b = (0.5 * data[((t - 1) * 3) + 1]) + Gauss(rng);
            data[t * 3] = a;
            data[(t * 3) + 1] = b;
            data[(t * 3) + 2] = (0.5 * a) - (0.5 * b) + (0.4 * data[((t - 1) * 3) + 2]) + Gauss(rng);
        }
        var stream = new StreamInfo("lfp", "LFP", "sim", 3, 250, ChannelFormat.Double64);
        var options = new PcmciStageOptions { Method = LiveDiscoveryMethod.PcmciPlus, WindowSamples = samples, HopSamples = samples, TauMax = 2, PcAlpha = 0.01, SkipWhenBusy = false };
        var stage = new PcmciStage(stream, options);
        var publisher = new ListPublisher();
        for (int start = 0; start < samples; start += 100)
        {
            using var chunk = Chunk(stream, data, start, 100);
            await stage.OnChunkAsync(chunk, publisher, CancellationToken.None);
        }
        await stage.CompleteAsync(publisher, CancellationToken.None);

        var graph = Assert.IsType<CausalGraph>(Assert.Single(publisher.Results));
        Assert.Equal("pcmciplus", graph.Method);
        Assert.Equal("-->", graph.Edges.Single(e => e.Lag == 0 && e.Source == 0 && e.Target == 2).LinkType);
        Assert.Equal("-->", graph.Edges.Single(e => e.Lag == 0 && e.Source == 1 && e.Target == 2).LinkType);
        Assert.False(graph.Edges.Single(e => e.Lag == 0 && ((e.Source == 0 && e.Target == 1) || (e.Source == 1 && e.Target == 0))).Significant);

        // The live hop equals the batch PCMCI+ run on the same samples.
        var batch = new PcmciPlus(data, 3, 2).Run(new PcmciPlusOptions { TauMax = 2, PcAlpha = 0.01 });
        foreach (var edge in graph.Edges)
        {
            Assert.Equal(batch.Values[edge.Source, edge.Target, edge.Lag], edge.Weight, 9);
            Assert.True(ReferenceJson.Close(edge.PValue, batch.PValues[edge.Source, edge.Target, edge.Lag], 1e-6, 1e-280), $"p {edge.PValue} vs {batch.PValues[edge.Source, edge.Target, edge.Lag]}");
            Assert.Equal(batch.Graph[edge.Source, edge.Target, edge.Lag], edge.LinkType);
        }
    }

    [Fact]
    public void WindowTooShortForTheLagsIsRefusedWithSizes()
    {
        var stream = new StreamInfo("eeg", "EEG", "x", 20, 500, ChannelFormat.Float32);
        var error = Assert.Throws<ArgumentException>(() => new PcmciStage(stream, new PcmciStageOptions { WindowSamples = 150, HopSamples = 10, TauMax = 5 }));
        Assert.Contains("'eeg'", error.Message);
        Assert.Contains("150 samples", error.Message);
        Assert.Contains($"at least {PcmciStageOptions.MinimumWindowSamples(20, 5)}", error.Message);

        error = Assert.Throws<ArgumentException>(() => new PcmciStage(stream, new PcmciStageOptions { WindowSamples = 4000, HopSamples = 10, TauMax = 0 }));
        Assert.Contains("tau-max must be at least 1", error.Message);
        error = Assert.Throws<ArgumentException>(() => new PcmciStage(stream, new PcmciStageOptions { Method = LiveDiscoveryMethod.PcmciPlus, PcAlpha = null, WindowSamples = 4000, HopSamples = 10 }));
        Assert.Contains("fixed pc-alpha", error.Message);
    }

    private static SampleChunk Chunk(StreamInfo stream, double[] data, int start, int count)
    {
        var chunk = SampleChunk.Rent(stream, count);
        data.AsSpan(start * stream.ChannelCount, count * stream.ChannelCount).CopyTo(chunk.Values);
        for (int k = 0; k < count; k++)
        {
            chunk.Timestamps[k] = (start + k) / stream.NominalRate;
        }
        return chunk;
    }

    private static VarSimulator Simulator(int channels, int samples, int seed) => new(new SimulatorOptions
    {
        Channels = channels, SampleRate = 250, MaxLag = 2, Seed = seed, CrossEdges = channels - 1, Paced = false, ChunkSize = 32, MaxSamples = samples,
    });

    private static double[] SimulatedData(SimulatorOptions options)
    {
        var generator = new VarGenerator(options);
        var data = new double[(int)options.MaxSamples!.Value * options.Channels];
        generator.Generate(data, (int)options.MaxSamples.Value);
        return data;
    }

    private static async Task<List<CausalGraph>> RunAsync(VarSimulator simulator, PcmciStage stage)
    {
        var sink = new GraphSink();
        var pipeline = new StreamPipeline([simulator], [stage], [new SinkBinding(sink, 16, EdgePolicy.Wait)], new PipelineOptions(64, EdgePolicy.Wait, 0));
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        return sink.Graphs;
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private sealed class GraphSink : IResultSink
    {
        public List<CausalGraph> Graphs { get; } = [];

        public string Name => "graphs";

        public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            if (result is CausalGraph graph)
            {
                Graphs.Add(graph);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
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
