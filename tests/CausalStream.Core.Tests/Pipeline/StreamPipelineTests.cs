using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Core.Windows;

namespace CausalStream.Core.Tests.Pipeline;

public class StreamPipelineTests
{
    private static readonly StreamInfo Eeg = new("eeg", "EEG", "test", 2, 100, ChannelFormat.Float32);

    private static PipelineOptions Lossless => new(IngestCapacity: 16, IngestPolicy: EdgePolicy.Wait, StatusIntervalSeconds: 0);

    [Fact]
    public async Task StalledDropOldestSinkCountsDropsWhileOtherSinkReceivesEverything()
    {
        var source = new ScriptedSource(Eeg);
        for (int k = 0; k < 100; k++)
        {
            source.Add(Eeg, k * 0.1, 10, (i, c) => i + c);
        }

        var stalled = new RecordingSink("stalled", stalled: true);
        var healthy = new RecordingSink("healthy");
        var stage = new WindowStage(WindowSpec.InSamples(20, 10), source.Streams);
        var pipeline = new StreamPipeline(
            [source],
            [stage],
            [new SinkBinding(stalled, Capacity: 4, EdgePolicy.DropOldest), new SinkBinding(healthy, Capacity: 4, EdgePolicy.Wait)],
            Lossless);

        var run = pipeline.RunAsync(CancellationToken.None);
        await WaitUntil(() => healthy.Results.OfType<PipelineStatus>().Any(s => s.IsFinal));
        stalled.Release();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var healthyWindows = healthy.Results.OfType<WindowSummary>().Count();
        Assert.Equal(99, healthyWindows); // 1000 samples, window 20, hop 10: first hop at 20, then every 10
        var stalledMetrics = pipeline.SinkMetrics.Single(m => m.Name == "sink:stalled");
        var stalledReceived = stalled.Results.Count;
        Assert.True(stalledMetrics.Dropped > 0, "the stalled sink dropped nothing");
        Assert.Equal(healthyWindows + 1, stalledReceived + stalledMetrics.Dropped); // windows + final status
        Assert.True(stalledReceived <= 5, $"stalled sink received {stalledReceived} results; its queue holds 4 (+1 in hand)");
        Assert.Equal(stalledMetrics.Dropped, pipeline.Events.Count("sink:stalled", PipelineEventKind.Dropped));
        Assert.Equal(0, pipeline.SinkMetrics.Single(m => m.Name == "sink:healthy").Dropped);
    }

    [Fact]
    public async Task StoppingDrainsAcceptedInputAndFlushesEverySink()
    {
        var source = new ScriptedSource(Eeg) { WaitForCancellation = true };
        for (int k = 0; k < 30; k++)
        {
            source.Add(Eeg, k * 0.1, 10, (i, c) => c);
        }

        var first = new RecordingSink("first");
        var second = new RecordingSink("second");
        var pipeline = new StreamPipeline(
            [source],
            [new WindowStage(WindowSpec.InSamples(50, 50), source.Streams)],
            [new SinkBinding(first, 1024, EdgePolicy.Wait), new SinkBinding(second, 1024, EdgePolicy.Wait)],
            Lossless);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        await WaitUntil(() => source.Written == 30);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var sink in new[] { first, second })
        {
            Assert.True(sink.Flushed, $"sink {sink.Name} was not flushed");
            Assert.Equal(sink.Results.Count, sink.ResultsAtFlush);
            Assert.Equal(6, sink.Results.OfType<WindowSummary>().Count()); // 300 samples / 50
            var final = Assert.Single(sink.Results.OfType<PipelineStatus>());
            Assert.True(final.IsFinal);
            Assert.Equal(300, final.Streams.Single(s => s.Stream == "eeg").Samples);
        }
    }

    [Fact]
    public async Task WrongChannelCountIsRejectedAndNamedWhileTheStreamContinues()
    {
        var source = new ScriptedSource(Eeg)
            .Add(Eeg, 0.0, 10, (i, c) => 1)
            .Add(Eeg, 0.1, 10, (i, c) => 1, channels: 3)
            .Add(Eeg, 0.2, 10, (i, c) => 1);
        var events = new ListEventSink();
        var sink = new RecordingSink("all");
        var pipeline = new StreamPipeline([source], [], [new SinkBinding(sink, 64, EdgePolicy.Wait)], Lossless, new PipelineEventLog(events));
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var health = pipeline.Health["eeg"];
        Assert.Equal(1, health.RejectedChunks);
        Assert.Equal(20, health.Samples);
        var message = Assert.Single(events.Events, e => e.Kind == PipelineEventKind.ChannelCountMismatch).Message;
        Assert.Contains("'eeg'", message);
        Assert.Contains("3 channels", message);
        Assert.Contains("t=0.100000", message);
    }

    [Fact]
    public async Task NonFiniteValuesAreCountedLoggedAndPassedOn()
    {
        var source = new ScriptedSource(Eeg)
            .Add(Eeg, 0.0, 10, (i, c) => i == 3 && c == 1 ? double.NaN : i == 5 ? double.PositiveInfinity : 1);
        var events = new ListEventSink();
        var sink = new RecordingSink("all");
        var pipeline = new StreamPipeline([source], [new WindowStage(WindowSpec.InSamples(10, 10), source.Streams)], [new SinkBinding(sink, 64, EdgePolicy.Wait)], Lossless, new PipelineEventLog(events));
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, pipeline.Health["eeg"].NonFiniteValues);
        var message = Assert.Single(events.Events, e => e.Kind == PipelineEventKind.NonFiniteValues).Message;
        Assert.Contains("channel 'ch2'", message);
        Assert.Contains("t=0.030000", message);
        var summary = Assert.Single(sink.Results.OfType<WindowSummary>());
        Assert.Equal(1.0, summary.ChannelMeans[0]);
        Assert.Equal(1.0, summary.ChannelMeans[1]);
    }

    [Fact]
    public async Task BackwardsTimestampsAndGapsAreCountedAndNamed()
    {
        var source = new ScriptedSource(Eeg)
            .Add(Eeg, 0.0, 10, (i, c) => 0)
            .Add(Eeg, 0.05, 10, (i, c) => 0)
            .Add(Eeg, 1.0, 10, (i, c) => 0);
        var events = new ListEventSink();
        var pipeline = new StreamPipeline([source], [], [], Lossless, new PipelineEventLog(events));
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        var health = pipeline.Health["eeg"];
        Assert.Equal(1, health.BackwardsTimestamps);
        Assert.Equal(1, health.Gaps);
        Assert.Equal(30, health.Samples);
        Assert.Contains(events.Events, e => e.Kind == PipelineEventKind.TimestampBackwards && e.Message.Contains("from 0.090000 to 0.050000", StringComparison.Ordinal));
        Assert.Contains(events.Events, e => e.Kind == PipelineEventKind.TimestampGap && e.Message.Contains("between 0.140000 and 1.000000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LiveIngestDropsOldestAndCountsPerStream()
    {
        var source = new ScriptedSource(Eeg);
        for (int k = 0; k < 50; k++)
        {
            source.Add(Eeg, k * 0.1, 10, (i, c) => 0);
        }

        var gate = new GateStage();
        var pipeline = new StreamPipeline([source], [gate], [], new PipelineOptions(4, EdgePolicy.DropOldest, 0));
        var run = pipeline.RunAsync(CancellationToken.None);
        await WaitUntil(() => source.Written == 50);
        gate.Open();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var health = pipeline.Health["eeg"];
        Assert.True(health.Dropped > 0);
        Assert.Equal(50, health.Dropped + health.Chunks);
        Assert.Equal(health.Dropped, pipeline.Events.Count("eeg", PipelineEventKind.Dropped));
        Assert.Equal(health.Chunks, gate.Seen);
    }

    [Fact]
    public async Task FailingSourceIsReportedAndOthersContinue()
    {
        var good = new ScriptedSource(Eeg).Add(Eeg, 0, 10, (i, c) => 0);
        var bad = new ThrowingSource();
        var pipeline = new StreamPipeline([good, bad], [], [], Lossless);
        await pipeline.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, pipeline.Health["eeg"].Samples);
        Assert.Equal(1, pipeline.Events.Count("broken", PipelineEventKind.SourceFailed));
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(5);
        }
    }

    private sealed class ListEventSink : IPipelineEventSink
    {
        private readonly List<PipelineEvent> _events = [];

        public List<PipelineEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void Emit(PipelineEvent pipelineEvent)
        {
            lock (_events)
            {
                _events.Add(pipelineEvent);
            }
        }
    }

    private sealed class GateStage : IIngestStage
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "gate";

        public int Seen { get; private set; }

        public void Open() => _open.TrySetResult();

        public async ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
        {
            await _open.Task;
            Seen++;
        }

        public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class ThrowingSource : ISampleSource
    {
        public string Name => "broken";

        public IReadOnlyList<StreamInfo> Streams { get; } = [new StreamInfo("broken-stream", "EEG", "x", 1, 10, ChannelFormat.Float32)];

        public Task RunAsync(ISourceOutput output, CancellationToken cancellationToken) => throw new IOException("device unplugged");
    }
}
