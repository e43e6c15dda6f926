namespace CausalStream.Kafka.Sharding;

/// <summary>
/// Which target channels a shard computes: shard i of n takes the channels c with c mod n = i, so every target's
/// regression is computed by exactly one shard and the shards' partial graphs together hold every ordered pair.
/// </summary>
public static class ShardPlan
{
    public static int[] Targets(int channels, int shardIndex, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        if (shardIndex < 0 || shardIndex >= shardCount)
        {
            throw new ArgumentOutOfRangeException(nameof(shardIndex), shardIndex, $"shard index must be 0..{shardCount - 1}");
        }

        if (shardCount > channels)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, $"{shardCount} shards for {channels} channels would leave a shard without targets");
        }

        var targets = new int[((channels - 1 - shardIndex) / shardCount) + 1];
        for (int k = 0, c = shardIndex; c < channels; c += shardCount)
        {
            targets[k++] = c;
        }

        return targets;
    }
}
