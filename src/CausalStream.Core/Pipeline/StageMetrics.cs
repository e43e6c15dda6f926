namespace CausalStream.Core.Pipeline;

/// <summary>
/// Counters of one stage or sink: items processed, items dropped, current queue depth, and the latency from
/// arrival of the newest sample an item used to the moment this stage emitted it.
/// </summary>
public sealed class StageMetrics
{
    private long _processed;
    private long _dropped;
    private Func<int>? _queueDepth;

    public StageMetrics(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public long Processed => Interlocked.Read(ref _processed);

    public long Dropped => Interlocked.Read(ref _dropped);

    public int QueueDepth => _queueDepth?.Invoke() ?? 0;

    public LatencyHistogram Latency { get; } = new();

    public void AddProcessed(long count = 1) => Interlocked.Add(ref _processed, count);

    public void AddDropped(long count = 1) => Interlocked.Add(ref _dropped, count);

    internal void ObserveQueue(Func<int> depth) => _queueDepth = depth;
}
