using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Consuming;

/// <summary>
/// Settings of a <see cref="KafkaSource"/>: the cluster, the chunk topic and its metadata and dead-letter topics, the
/// consumer group, where to start, and the timing settings that bound latency and rebalance time.
/// </summary>
public sealed record KafkaSourceOptions
{
    public required KafkaConnection Connection { get; init; }

    /// <summary>Topic of chunk messages (key = stream id).</summary>
    public required string Topic { get; init; }

    /// <summary>Compacted topic of stream metadata; null = <c>&lt;topic&gt;.streams</c>.</summary>
    public string? StreamsTopic { get; init; }

    /// <summary>Where undecodable messages go with their reason; null = <c>&lt;topic&gt;.dlq</c>.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>Consumer group; workers with the same group split the partitions.</summary>
    public string GroupId { get; init; } = "causalstream";

    public KafkaStartPosition StartFrom { get; init; } = KafkaStartPosition.Committed;

    /// <summary>With <see cref="KafkaStartPosition.Timestamp"/>: the Kafka record time to start from.</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>fetch.wait.max.ms: how long the broker holds an empty fetch; bounds end-to-end latency.</summary>
    public int FetchWaitMaxMs { get; init; } = 10;

    /// <summary>session.timeout.ms: a crashed worker's partitions move after this; rebalances take about this long.</summary>
    public int SessionTimeoutMs { get; init; } = 6000;

    /// <summary>heartbeat.interval.ms; null = a third of the session timeout.</summary>
    public int? HeartbeatIntervalMs { get; init; }

    /// <summary>Least time between offset commits.</summary>
    public int CommitIntervalMs { get; init; } = 200;

    /// <summary>Stop when every assigned partition has been read to its end (replaying a topic); false = run until stopped.</summary>
    public bool StopAtEnd { get; init; }

    /// <summary>Streams declared by configuration in addition to (and replacing) those of the metadata topic.</summary>
    public IReadOnlyList<StreamInfo>? Streams { get; init; }

    /// <summary>Seconds to read the metadata topic at start-up.</summary>
    public double MetadataTimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// Samples between analyses per stream (the window hop); when set, every stream starts at a sample index that is a
    /// multiple of it, so all workers, shards and restarts compute the same windows. 0 = start at the first sample read.
    /// </summary>
    public Func<StreamInfo, int>? HopSamples { get; init; }

    public string ResolvedStreamsTopic => StreamsTopic ?? Topic + ".streams";

    public string ResolvedDeadLetterTopic => DeadLetterTopic ?? Topic + ".dlq";
}
