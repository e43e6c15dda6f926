using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Producing;

/// <summary>Settings of a <see cref="KafkaChunkPublisher"/>: the cluster, the chunk topic and its metadata topic, the value format and batching.</summary>
public sealed record KafkaPublisherOptions
{
    public required KafkaConnection Connection { get; init; }

    /// <summary>Topic of chunk messages (key = stream id).</summary>
    public required string Topic { get; init; }

    /// <summary>Compacted metadata topic; null = <c>&lt;topic&gt;.streams</c>.</summary>
    public string? StreamsTopic { get; init; }

    /// <summary>Value format on the wire; null = each stream's own format.</summary>
    public ChannelFormat? Format { get; init; }

    /// <summary>linger.ms: how long the producer batches before sending.</summary>
    public int LingerMs { get; init; } = 2;

    /// <summary>Explicit partition per stream (tests, benchmarks); null = partition by key hash.</summary>
    public Func<StreamInfo, int?>? PartitionOf { get; init; }

    public string ResolvedStreamsTopic => StreamsTopic ?? Topic + ".streams";
}
