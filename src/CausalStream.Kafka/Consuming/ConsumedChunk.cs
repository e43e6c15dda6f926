using CausalStream.Kafka.Wire;

namespace CausalStream.Kafka.Consuming;

/// <summary>A consumed chunk message as decoded straight from librdkafka's buffer, with a copy of the raw bytes only when it failed (for the dead-letter topic).</summary>
internal readonly record struct ConsumedChunk(ChunkDecodeResult Result, byte[]? RawOnError);
