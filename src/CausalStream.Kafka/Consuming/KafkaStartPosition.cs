namespace CausalStream.Kafka.Consuming;

/// <summary>Where a Kafka source starts reading a partition the first time this worker is assigned it.</summary>
public enum KafkaStartPosition
{
    /// <summary>The group's committed offset; where the group has none, the beginning of the partition.</summary>
    Committed,

    /// <summary>The beginning of the partition, whatever the group committed.</summary>
    Earliest,

    /// <summary>The end of the partition (only new messages), whatever the group committed.</summary>
    Latest,

    /// <summary>The first message whose Kafka timestamp is at or after a given time (replay from time T).</summary>
    Timestamp,
}
