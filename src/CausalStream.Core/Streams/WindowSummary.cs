namespace CausalStream.Core.Streams;

/// <summary>
/// What one hop of a sliding window saw on one stream: its time span, sample count and per-channel mean and
/// standard deviation (non-finite values left out). The simplest result; analyses publish richer ones.
/// </summary>
public sealed record WindowSummary(
    string Stream,
    double WindowStart,
    double WindowEnd,
    int Samples,
    long Hop,
    IReadOnlyList<double> ChannelMeans,
    IReadOnlyList<double> ChannelStandardDeviations) : PipelineResult;
