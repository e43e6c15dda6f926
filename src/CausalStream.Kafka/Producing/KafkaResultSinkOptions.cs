namespace CausalStream.Kafka.Producing;

/// <summary>Settings of a <see cref="KafkaResultSink"/>: the cluster, the results topic, which result types go out, and the shard this worker computes (sharded mode).</summary>
public sealed record KafkaResultSinkOptions
{
    public required KafkaConnection Connection { get; init; }

    /// <summary>Results topic (key = stream id, value = the JSON of docs/formats.md).</summary>
    public required string Topic { get; init; }

    /// <summary>Also publish periodic status reports.</summary>
    public bool IncludeStatus { get; init; }

    /// <summary>Also publish stimulation decisions.</summary>
    public bool IncludeDecisions { get; init; } = true;

    /// <summary>
    /// Which edges a graph message carries: all tested pairs (docs/formats.md), or only the significant ones, which
    /// shrinks a 64-channel graph of a sparse network from 1.44 MB to 0.09 MB (docs/kafka.md).
    /// </summary>
    public ResultEdges Edges { get; init; } = ResultEdges.All;

    /// <summary>This worker's shard number in sharded mode (0-based); null = not sharded.</summary>
    public int? ShardIndex { get; init; }

    /// <summary>Number of shards in sharded mode.</summary>
    public int? ShardCount { get; init; }

    /// <summary>compression.type of the results producer (graph JSON compresses well).</summary>
    public Confluent.Kafka.CompressionType Compression { get; init; } = Confluent.Kafka.CompressionType.Lz4;

    /// <summary>message.max.bytes of the results producer (uncompressed size of one result); the broker checks the compressed batch against its own limit.</summary>
    public int MaxMessageBytes { get; init; } = 64 << 20;

    /// <summary>linger.ms of the results producer.</summary>
    public int LingerMs { get; init; } = 1;
}
