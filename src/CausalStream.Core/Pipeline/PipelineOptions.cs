namespace CausalStream.Core.Pipeline;

/// <summary>Runtime settings of a pipeline: the ingest queue and how often health is reported.</summary>
/// <param name="IngestCapacity">Chunks and markers that may wait between the sources and the ingest stages.</param>
/// <param name="IngestPolicy">Wait for replay (lossless), DropOldest for live sources.</param>
/// <param name="StatusIntervalSeconds">Seconds between <see cref="Streams.PipelineStatus"/> reports; 0 = only the final one.</param>
public sealed record PipelineOptions(int IngestCapacity = 1024, EdgePolicy IngestPolicy = EdgePolicy.Wait, double StatusIntervalSeconds = 1.0);
