using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Wire;

/// <summary>
/// The outcome of decoding one chunk message: the decoded pooled chunk (owned by the receiver) or the reason it was
/// refused, with the header fields that could be read.
/// </summary>
/// <param name="Status">Ok, or what was wrong.</param>
/// <param name="Reason">A sentence naming the field and the values found; empty when Ok.</param>
/// <param name="Header">The header, when it could be read.</param>
/// <param name="Stream">The stream's metadata, when the stream id was known.</param>
/// <param name="Chunk">The decoded chunk (the receiver disposes it), or null.</param>
public readonly record struct ChunkDecodeResult(ChunkDecodeStatus Status, string Reason, ChunkHeader Header, StreamInfo? Stream, SampleChunk? Chunk)
{
    public bool IsOk => Status == ChunkDecodeStatus.Ok;
}
