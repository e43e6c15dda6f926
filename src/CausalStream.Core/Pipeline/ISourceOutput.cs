using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>
/// Where a source puts what it produced. Writing a chunk hands its reference over to the pipeline.
/// Depending on the edge policy a write waits for room (replay) or drops the oldest queued item (live).
/// </summary>
public interface ISourceOutput
{
    ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken);

    ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken);

    /// <summary>Reports bad input (malformed packet, file block) that the source skipped; counted and logged.</summary>
    void ReportError(string stream, string message);
}
