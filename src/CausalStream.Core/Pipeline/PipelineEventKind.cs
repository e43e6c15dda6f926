namespace CausalStream.Core.Pipeline;

/// <summary>Kinds of noteworthy pipeline events, counted per stream.</summary>
public enum PipelineEventKind
{
    ChannelCountMismatch,
    NonFiniteValues,
    TimestampGap,
    TimestampBackwards,
    UnknownStream,
    SourceError,
    SourceFailed,
    Dropped,
    SinkFailed,
    HopSkipped,
    Info,
}
