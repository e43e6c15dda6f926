namespace CausalStream.Core.Pipeline;

/// <summary>A noteworthy event (mostly bad input) naming the stream and position it concerns.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Stream">The stream or component it concerns.</param>
/// <param name="Message">Human-readable detail: offsets, timestamps, counts.</param>
/// <param name="IsWarning">Warnings are problems with input or sinks; the rest is information.</param>
public sealed record PipelineEvent(PipelineEventKind Kind, string Stream, string Message, bool IsWarning = true);
