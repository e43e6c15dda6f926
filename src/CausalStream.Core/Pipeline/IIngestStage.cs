using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>
/// A stage on the ingest path: it sees every validated chunk and marker once, in arrival order, on the ingest
/// task. It must return quickly (append to windows, update statistics); heavy work goes to its own worker.
/// A chunk is only valid during the call; a stage that keeps it takes a reference.
/// </summary>
public interface IIngestStage
{
    string Name { get; }

    ValueTask OnChunkAsync(SampleChunk chunk, IResultPublisher publisher, CancellationToken cancellationToken);

    ValueTask OnMarkerAsync(MarkerEvent marker, IResultPublisher publisher, CancellationToken cancellationToken);

    /// <summary>The input has ended: finish background work and publish what is left.</summary>
    ValueTask CompleteAsync(IResultPublisher publisher, CancellationToken cancellationToken);
}
