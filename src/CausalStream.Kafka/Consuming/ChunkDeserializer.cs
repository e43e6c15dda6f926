using CausalStream.Core.Streams;
using CausalStream.Kafka.Wire;
using Confluent.Kafka;

namespace CausalStream.Kafka.Consuming;

/// <summary>Decodes chunk messages inside Consume, from the client's buffer into pooled chunks (no intermediate byte array).</summary>
internal sealed class ChunkDeserializer(StreamRegistry streams) : IDeserializer<ConsumedChunk>
{
    public ConsumedChunk Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return new ConsumedChunk(new ChunkDecodeResult(ChunkDecodeStatus.TooShort, "the message has no value (null)", default, null, null), []);
        }

        var result = ChunkCodec.Decode(data, streams, MonotonicClock.Now);
        return new ConsumedChunk(result, result.IsOk ? null : data.ToArray());
    }
}
