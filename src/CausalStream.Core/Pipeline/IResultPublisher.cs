using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>Where stages put results; thread-safe, so background workers publish too.</summary>
public interface IResultPublisher
{
    ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken);
}
