namespace CausalStream.Core.Streams;

/// <summary>A periodic health report of the whole pipeline, published to every sink like any result.</summary>
/// <param name="ElapsedSeconds">Wall-clock seconds since the pipeline started.</param>
/// <param name="IsFinal">True for the last report, written after the input ended.</param>
public sealed record PipelineStatus(
    double ElapsedSeconds,
    bool IsFinal,
    IReadOnlyList<StreamStatus> Streams,
    IReadOnlyList<StageStatus> Stages) : PipelineResult;
