using CausalStream.Core.Streams;

namespace CausalStream.Core.Pipeline;

/// <summary>One queued input: either a chunk or a marker.</summary>
internal readonly record struct IngestItem(SampleChunk? Chunk, MarkerEvent? Marker);
