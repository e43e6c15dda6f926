namespace CausalStream.Cli.Configuration;

/// <summary>
/// Sharded mode of a Kafka worker: this worker is shard <see cref="Index"/> of <see cref="Count"/> and computes only
/// the Granger equations of its target channels (c mod count = index); an aggregator merges the shards' graphs.
/// </summary>
public sealed record KafkaShardConfig
{
    public required int Index { get; init; }

    public required int Count { get; init; }
}
