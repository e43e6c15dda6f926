namespace CausalStream.Core.Streams;

/// <summary>
/// Base of every result that flows from stages to sinks. Results are small immutable records fanned out to
/// all sinks; each remembers when the newest sample it used arrived, so sinks can measure end-to-end latency.
/// </summary>
public abstract record PipelineResult
{
    /// <summary>Monotonic arrival ticks of the newest sample this result used; 0 when it used none.</summary>
    public long NewestArrivalTicks { get; init; }
}
