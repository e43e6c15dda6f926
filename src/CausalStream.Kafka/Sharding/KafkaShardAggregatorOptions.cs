namespace CausalStream.Kafka.Sharding;

/// <summary>Settings of a <see cref="KafkaShardAggregator"/>: where the shards publish, where merged graphs go, and the shard count.</summary>
public sealed record KafkaShardAggregatorOptions
{
    public required KafkaConnection Connection { get; init; }

    /// <summary>Topic the shard workers publish their partial graphs to.</summary>
    public required string InputTopic { get; init; }

    /// <summary>Topic for merged graphs.</summary>
    public required string OutputTopic { get; init; }

    public required int ShardCount { get; init; }

    public string GroupId { get; init; } = "causalstream-aggregator";

    public int FetchWaitMaxMs { get; init; } = 10;

    public int SessionTimeoutMs { get; init; } = 6000;
}
