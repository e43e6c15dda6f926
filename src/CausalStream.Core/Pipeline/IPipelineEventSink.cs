namespace CausalStream.Core.Pipeline;

/// <summary>Receives pipeline events for logging; the host adapts it to its logger.</summary>
public interface IPipelineEventSink
{
    void Emit(PipelineEvent pipelineEvent);
}
