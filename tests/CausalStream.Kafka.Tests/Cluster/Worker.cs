using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Producing;
using CausalStream.Kafka.Sharding;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>A CausalStream worker as the host builds it: Kafka source → Granger stage per stream → Kafka results sink, sharing one commit tracker.</summary>
internal sealed class Worker
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private Task _run = Task.CompletedTask;

    private Worker(KafkaSource source, KafkaResultSink sink, StreamPipeline pipeline)
    {
        Source = source;
        Sink = sink;
        Pipeline = pipeline;
    }

    public KafkaSource Source { get; }

    public KafkaResultSink Sink { get; }

    public StreamPipeline Pipeline { get; }

    public static async Task<Worker> StartAsync(MockClusterFixture fixture, string topic, string group, string? resultsTopic = null, int? shardIndex = null, int? shardCount = null, KafkaStartPosition start = KafkaStartPosition.Committed, ResultEdges edges = ResultEdges.All)
    {
        var tracker = new OffsetCommitTracker();
        var source = await KafkaSource.CreateAsync(
            new KafkaSourceOptions
            {
                Connection = fixture.Connection,
                Topic = topic,
                GroupId = group,
                StartFrom = start,
                SessionTimeoutMs = 2000,
                HeartbeatIntervalMs = 500,
                FetchWaitMaxMs = 10,
                CommitIntervalMs = 100,
                HopSamples = _ => TestData.Hop,
            },
            tracker);
        var stages = new List<IIngestStage>();
        foreach (var stream in source.Streams)
        {
            int[]? targets = shardIndex is int i && shardCount is int n ? ShardPlan.Targets(stream.ChannelCount, i, n) : null;
            stages.Add(new GrangerStage(stream, new GrangerStageOptions
            {
                WindowSamples = TestData.Window,
                HopSamples = TestData.Hop,
                MaxLag = TestData.Lag,
                SkipWhenBusy = false,
                Test = new GrangerOptions { TargetChannels = targets },
            }));
            tracker.AwaitResultsOf(stream.Name);
        }

        var sink = new KafkaResultSink(new KafkaResultSinkOptions { Connection = fixture.Connection, Topic = resultsTopic ?? topic + ".results", ShardIndex = shardIndex, ShardCount = shardCount, Edges = edges }, tracker);
        var pipeline = new StreamPipeline([source], stages, [new SinkBinding(sink, 256, EdgePolicy.Wait)], new PipelineOptions(256, EdgePolicy.Wait, 0));
        var worker = new Worker(source, sink, pipeline);
        worker._run = pipeline.RunAsync(worker._stop.Token, worker._abort.Token);
        return worker;
    }

    /// <summary>Waits until the group assigned this worker at least <paramref name="partitions"/> partitions.</summary>
    public async Task WaitForAssignmentAsync(int partitions, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Source.Assignment.Count < partitions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"worker got {Source.Assignment.Count} partitions, expected {partitions}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Clean stop: drain, flush the results, commit, leave the group.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await Source.CloseAsync(commit: true);
        Sink.Dispose();
    }

    /// <summary>A crash: stop at once, commit nothing more.</summary>
    public async Task CrashAsync()
    {
        await _abort.CancelAsync();
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        await Source.CloseAsync(commit: false);
        Sink.Dispose();
    }
}
