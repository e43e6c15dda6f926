using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// One item read from a recording: a sample chunk (whose reference passes to the receiver) or a marker, with the
/// source time used to pace replay (the chunk's first timestamp or the marker's timestamp).
/// </summary>
public readonly record struct RecordingItem(SampleChunk? Chunk, MarkerEvent? Marker)
{
    /// <summary>Source time in seconds.</summary>
    public double Time => Chunk is { } chunk ? chunk.Timestamps[0] : Marker!.Timestamp;

    /// <summary>The stream the item belongs to.</summary>
    public string Stream => Chunk?.Stream.Name ?? Marker!.Stream;
}
