using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Tests.Graphs;

public sealed class GrangerStageTests
{
    [Fact]
    public async Task WholeWindowGraphEqualsTheBatchFitOnTheSameSamples()
    {
        var simulator = Simulator(channels: 4, samples: 1500, seed: 11);
        var data = SimulatedData(simulator.Options);
        var options = new GrangerStageOptions { WindowSamples = 1500, HopSamples = 1500, MaxLag = 2, SkipWhenBusy = false };
        var graphs = await RunAsync(simulator, options);

        var graph = Assert.Single(graphs);
        var batch = VarGrangerSolver.Fit(data, 4, 2);
        Assert.Equal(12, graph.Edges.Count);
        Assert.Equal(1500, graph.Samples);
        Assert.Equal(1498, graph.RowsUsed);
        Assert.Equal(0.0, graph.WindowStart);
        Assert.Equal(1499 / 250.0, graph.WindowEnd, 12);
        foreach (var edge in graph.Edges)
        {
            Assert.Equal(batch.F(edge.Target, edge.Source), edge.Statistic, 9);
            Assert.Equal(batch.PValue(edge.Target, edge.Source), edge.PValue, 9);
            Assert.Equal(batch.Coefficient(edge.Target, edge.Source, 2), edge.LagCoefficients[1], 9);
        }
    }

    [Fact]
    public async Task HopsComeAtWindowFullThenEveryHop()
    {
        var simulator = Simulator(channels: 3, samples: 1000, seed: 3);
        var options = new GrangerStageOptions { WindowSamples = 400, HopSamples = 100, MaxLag = 2, SkipWhenBusy = false };
        var graphs = await RunAsync(simulator, options);
        Assert.Equal(7, graphs.Count); // ends at samples 400, 500, ..., 1000
        for (int k = 0; k < graphs.Count; k++)
        {
            Assert.Equal(k + 1, graphs[k].Sequence);
            Assert.Equal((399 + (100 * k)) / 250.0, graphs[k].WindowEnd, 9);
            Assert.Equal((100 * k) / 250.0, graphs[k].WindowStart, 9);
            Assert.Equal(400, graphs[k].Samples);
        }
    }

    [Fact]
    public async Task RegimeChangeIsDetectedWithinOneWindowPlusOneHop()
    {
        const double rate = 250, window = 4, hop = 0.5, on = 20, off = 40;
        var baseOptions = new SimulatorOptions
        {
            Channels = 4, SampleRate = rate, MaxLag = 2, Seed = 5, CrossEdges = 2, Paced = false, ChunkSize = 25, MaxSamples = (long)(60 * rate),
        };
        var network = VarNetwork.CreateRandom(baseOptions);
        (int from, int to) = FirstAbsentPair(network);
        var simulator = new VarSimulator(baseOptions with { EdgeSchedule = [new ScheduledEdge(from, to, 1, 0.35, on, off)] });
        Assert.DoesNotContain(simulator.Network.Edges, e => e.Source == from && e.Target == to);
        var stageOptions = new GrangerStageOptions { WindowSamples = (int)(window * rate), HopSamples = (int)(hop * rate), MaxLag = 2, SkipWhenBusy = false, Test = new GrangerOptions { Alpha = 0.01 } };
        var graphs = await RunAsync(simulator, stageOptions);

        bool Significant(CausalGraph g) => g.Edges.Single(e => e.Source == from && e.Target == to).Significant;
        var before = graphs.Where(g => g.WindowEnd < on).ToList();
        Assert.True(before.Count(Significant) <= 1, "the edge was significant before it existed in more than one window");
        var firstOn = graphs.First(g => g.WindowStart >= on - window && g.WindowEnd >= on && Significant(g));
        Assert.True(firstOn.WindowEnd <= on + window + hop, $"edge detected at {firstOn.WindowEnd} s, later than {on + window + hop} s");
        var fullyOn = graphs.Where(g => g.WindowStart >= on && g.WindowEnd < off).ToList();
        Assert.All(fullyOn, g => Assert.True(Significant(g), $"edge missed in window ending {g.WindowEnd}"));
        var lastOn = graphs.Where(g => g.WindowEnd >= off).First(g => !Significant(g));
        Assert.True(lastOn.WindowEnd <= off + window + hop, $"edge still significant at {lastOn.WindowEnd} s");
        var afterOff = graphs.Where(g => g.WindowStart >= off + (1 / rate)).ToList();
        Assert.True(afterOff.Count(Significant) <= 1, "the edge stayed significant after it was switched off");
    }

    [Fact]
    public async Task BusyWorkerSkipsHopsInLiveModeAndCountsThem()
    {
        var simulator = Simulator(channels: 3, samples: 2000, seed: 9);
        var stage = new GrangerStage(simulator.DataStream, new GrangerStageOptions { WindowSamples = 200, HopSamples = 10, MaxLag = 1, SkipWhenBusy = true });
        var gate = new GatedPublisher();
        var output = new DirectOutput(stage, gate);
        await simulator.RunAsync(output, CancellationToken.None);
        gate.Open();
        await stage.CompleteAsync(gate, CancellationToken.None);

        long hopsDue = 1 + ((2000 - 200) / 10);
        Assert.True(stage.HopsSkipped > 0, "no hop was skipped while the publisher was stalled");
        Assert.Equal(hopsDue, stage.HopsSkipped + stage.GraphsPublished);
        Assert.Equal(stage.GraphsPublished, gate.Published.Count);
    }

    [Fact]
    public async Task AutoOrderIsChosenOnTheFirstWindowByTheCriterion()
    {
        var simulator = Simulator(channels: 3, samples: 1200, seed: 21, maxLag: 3);
        var data = SimulatedData(simulator.Options);
        var options = new GrangerStageOptions { WindowSamples = 600, HopSamples = 300, MaxLag = null, MaxLagLimit = 6, Criterion = OrderCriterion.Aic, SkipWhenBusy = false };
        var stage = new GrangerStage(simulator.DataStream, options);
        var graphs = await RunAsync(simulator, stage);

        var expected = VarOrderSelection.Select(data.AsSpan(0, 600 * 3), 3, 6).AicOrder;
        Assert.Equal(expected, stage.Lag);
        Assert.All(graphs, g => Assert.Equal(expected, g.MaxLag));
        Assert.Equal(3, graphs.Count);
    }

    [Fact]
    public void WindowTooShortForTheModelIsRefusedWithSizes()
    {
        var stream = new StreamInfo("eeg", "EEG", "x", 8, 500, ChannelFormat.Float32);
        var error = Assert.Throws<ArgumentException>(() => new GrangerStage(stream, new GrangerStageOptions { WindowSamples = 50, HopSamples = 10, MaxLag = 10 }));
        Assert.Contains("'eeg'", error.Message);
        Assert.Contains("50 samples", error.Message);
        Assert.Contains($"at least {GrangerStageOptions.MinimumWindowSamples(8, 10)}", error.Message);
    }

    private static (int Source, int Target) FirstAbsentPair(VarNetwork network)
    {
        for (int s = 0; s < network.Channels; s++)
        {
            for (int t = 0; t < network.Channels; t++)
            {
                if (s != t && !network.Edges.Any(e => (e.Source == s && e.Target == t) || (e.Source == t && e.Target == s)))
                {
                    return (s, t);
                }
            }
        }

        throw new InvalidOperationException("the network has no free channel pair");
    }

    private static VarSimulator Simulator(int channels, int samples, int seed, int maxLag = 2) => new(new SimulatorOptions
    {
        Channels = channels, SampleRate = 250, MaxLag = maxLag, Seed = seed, CrossEdges = channels - 1, Paced = false, ChunkSize = 32, MaxSamples = samples,
    });

    private static double[] SimulatedData(SimulatorOptions options)
    {
        var generator = new VarGenerator(options);
        var data = new double[(int)options.MaxSamples!.Value * options.Channels];
        generator.Generate(data, (int)options.MaxSamples.Value);
        return data;
    }

    private static Task<List<CausalGraph>> RunAsync(VarSimulator simulator, GrangerStageOptions options)
        => RunAsync(simulator, new GrangerStage(simulator.DataStream, options));

    private static async Task<List<CausalGraph>> RunAsync(VarSimulator simulator, GrangerStage stage)
    {
        var sink = new GraphSink();
        var pipeline = new StreamPipeline([simulator], [stage], [new SinkBinding(sink, 16, EdgePolicy.Wait)], new PipelineOptions(64, EdgePolicy.Wait, 0));
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        return sink.Graphs;
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

    /// <summary>A publisher that holds every result until opened, keeping the stage's worker busy.</summary>
    private sealed class GatedPublisher : IResultPublisher
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<PipelineResult> Published { get; } = [];

        public void Open() => _open.TrySetResult();

        public async ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            await _open.Task;
            lock (Published)
            {
                Published.Add(result);
            }
        }
    }

    /// <summary>Feeds a source's chunks straight into one stage, as the ingest task does.</summary>
    private sealed class DirectOutput(GrangerStage stage, IResultPublisher publisher) : ISourceOutput
    {
        public async ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
        {
            using (chunk)
            {
                await stage.OnChunkAsync(chunk, publisher, cancellationToken);
            }
        }

        public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void ReportError(string stream, string message) => throw new InvalidOperationException(message);
    }
}
