using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Wire;

/// <summary>
/// The fixed fields of an encoded chunk (docs/formats.md, "Kafka chunk messages"): which stream, which chunk of it,
/// where its first sample sits in the stream, and its shape. Read before the samples so a message can be checked
/// against the stream's metadata without touching its payload.
/// </summary>
/// <param name="Version">Wire format version (1).</param>
/// <param name="Format">Value encoding of the payload.</param>
/// <param name="Sequence">Chunk number in its stream, from 1; a jump reveals lost messages.</param>
/// <param name="FirstSampleIndex">Index of the chunk's first sample in its stream, from 0.</param>
/// <param name="ChannelCount">Channels per sample.</param>
/// <param name="SampleCount">Samples in the chunk.</param>
/// <param name="StreamIdOffset">Byte offset of the UTF-8 stream id in the message.</param>
/// <param name="StreamIdLength">Byte length of the UTF-8 stream id.</param>
public readonly record struct ChunkHeader(
    int Version,
    ChannelFormat Format,
    long Sequence,
    long FirstSampleIndex,
    int ChannelCount,
    int SampleCount,
    int StreamIdOffset,
    int StreamIdLength);
