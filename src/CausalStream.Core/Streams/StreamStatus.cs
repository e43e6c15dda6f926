namespace CausalStream.Core.Streams;

/// <summary>Health of one input stream at a status report: measured rate and the counts of everything wrong.</summary>
public sealed record StreamStatus(
    string Stream,
    double NominalRate,
    double MeasuredRate,
    long Samples,
    long Markers,
    long Dropped,
    long RejectedChunks,
    long NonFiniteValues,
    long Gaps,
    long BackwardsTimestamps,
    long SourceErrors);
