using Confluent.Kafka;

namespace CausalStream.Kafka.Consuming;

/// <summary>
/// Turns a start position into the offsets of newly assigned partitions. Only the first assignment of a partition
/// in this worker's life is repositioned; later assignments (rebalances) continue from the group's committed offsets,
/// so workers joining or leaving never rewind each other. For a timestamp, a partition whose lookup found no message
/// at or after the time (offset End or negative) starts at its end.
/// </summary>
public sealed class StartPositionPlanner
{
    private readonly KafkaStartPosition _position;
    private readonly long _timestampMs;
    private readonly HashSet<TopicPartition> _seen = new();

    public StartPositionPlanner(KafkaStartPosition position, DateTimeOffset? timestamp = null)
    {
        if (position == KafkaStartPosition.Timestamp && timestamp is null)
        {
            throw new ArgumentException("a timestamp start position needs the time to start from", nameof(timestamp));
        }

        _position = position;
        _timestampMs = timestamp?.ToUnixTimeMilliseconds() ?? 0;
    }

    /// <summary>The partitions among <paramref name="assigned"/> that need an offset lookup by time now.</summary>
    public List<TopicPartitionTimestamp> TimestampQueries(IReadOnlyList<TopicPartition> assigned)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        var queries = new List<TopicPartitionTimestamp>();
        if (_position != KafkaStartPosition.Timestamp)
        {
            return queries;
        }

        foreach (var partition in assigned)
        {
            if (!_seen.Contains(partition))
            {
                queries.Add(new TopicPartitionTimestamp(partition, new Timestamp(_timestampMs, TimestampType.CreateTime)));
            }
        }

        return queries;
    }

    /// <summary>
    /// Offsets for <paramref name="assigned"/>: <see cref="Offset.Unset"/> (= committed) for partitions seen before or
    /// when starting from the committed position, otherwise Beginning, End or the looked-up offset.
    /// </summary>
    /// <param name="assigned">Newly assigned partitions.</param>
    /// <param name="byTime">Results of the time lookup (timestamp position only); may be empty.</param>
    public List<TopicPartitionOffset> Plan(IReadOnlyList<TopicPartition> assigned, IReadOnlyList<TopicPartitionOffset>? byTime = null)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        var plan = new List<TopicPartitionOffset>(assigned.Count);
        foreach (var partition in assigned)
        {
            bool first = _seen.Add(partition);
            Offset offset = Offset.Unset;
            if (first)
            {
                offset = _position switch
                {
                    KafkaStartPosition.Earliest => Offset.Beginning,
                    KafkaStartPosition.Latest => Offset.End,
                    KafkaStartPosition.Timestamp => Lookup(partition, byTime),
                    _ => Offset.Unset,
                };
            }

            plan.Add(new TopicPartitionOffset(partition, offset));
        }

        return plan;
    }

    private static Offset Lookup(TopicPartition partition, IReadOnlyList<TopicPartitionOffset>? byTime)
    {
        if (byTime is not null)
        {
            foreach (var found in byTime)
            {
                if (found.TopicPartition.Equals(partition))
                {
                    return found.Offset.Value >= 0 ? found.Offset : Offset.End;
                }
            }
        }

        return Offset.End;
    }
}
