namespace CausalStream.Core.Streams;

/// <summary>Throughput, queue depth, drops and latency percentiles (seconds) of one stage or sink.</summary>
public sealed record StageStatus(
    string Stage,
    long Processed,
    long Dropped,
    int QueueDepth,
    long LatencyCount,
    double LatencyP50,
    double LatencyP99,
    double LatencyP999,
    double LatencyMax);
