using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.KafkaBench;

/// <summary>An ingest stage that only counts chunks (and records arrival-to-ingest latency), completing a task once the expected number arrived.</summary>
internal sealed class CountingStage(long expected) : IIngestStage
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _count;

    public string Name => "count";

    public Task Done => _done.Task;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Latency per chunk from its timestamp's reference (set by the latency bench) to ingest, in seconds.</summary>
    public List<double> Latencies { get; } = [];

    public Func<SampleChunk, double>? LatencyOf { get; init; }

    public ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken)
    {
        if (LatencyOf is { } latency)
        {
            Latencies.Add(latency(chunk));
        }

        if (Interlocked.Increment(ref _count) == expected)
        {
            _done.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
