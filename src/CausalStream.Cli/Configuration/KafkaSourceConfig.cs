using CausalStream.Core.Streams;
using CausalStream.Core.Windows;
using CausalStream.Engine.Graphs;
using CausalStream.Kafka;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Sharding;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// <c>source.kafka</c>: chunk messages from a Kafka topic read in a consumer group (docs/kafka.md). Security and other
/// librdkafka settings go in <see cref="Properties"/> and are passed through unchanged.
/// </summary>
public sealed record KafkaSourceConfig
{
    /// <summary>host:port[,host:port…] of the brokers.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>Topic of chunk messages.</summary>
    public required string Topic { get; init; }

    /// <summary>Metadata topic; null = <c>&lt;topic&gt;.streams</c>.</summary>
    public string? StreamsTopic { get; init; }

    /// <summary>Dead-letter topic; null = <c>&lt;topic&gt;.dlq</c>.</summary>
    public string? DeadLetterTopic { get; init; }

    public string GroupId { get; init; } = "causalstream";

    public KafkaStartPosition StartFrom { get; init; } = KafkaStartPosition.Committed;

    /// <summary>With <c>startFrom: "timestamp"</c>: ISO 8601 time of the first record to read.</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    public int FetchWaitMaxMs { get; init; } = 10;

    public int SessionTimeoutMs { get; init; } = 6000;

    /// <summary>Stop once every assigned partition was read to its end (replay a topic).</summary>
    public bool StopAtEnd { get; init; }

    /// <summary>Start-up connection attempts before giving up with an error.</summary>
    public int ConnectAttempts { get; init; } = 5;

    /// <summary>Seconds each start-up attempt waits for the cluster.</summary>
    public double ConnectTimeoutSeconds { get; init; } = 5;

    /// <summary>librdkafka properties passed through (security.protocol, sasl.*, ssl.*, …).</summary>
    public Dictionary<string, string>? Properties { get; init; }

    /// <summary>Sharded mode; null = every worker computes whole graphs.</summary>
    public KafkaShardConfig? Shard { get; init; }

    public KafkaConnection ToConnection() => new()
    {
        BootstrapServers = BootstrapServers,
        Properties = Properties,
        ConnectAttempts = ConnectAttempts,
        ConnectTimeoutSeconds = ConnectTimeoutSeconds,
    };

    /// <summary>The source options; a sharded worker reads the whole topic in its own group (<c>&lt;groupId&gt;-shard-&lt;index&gt;</c>).</summary>
    public KafkaSourceOptions ToOptions(Func<StreamInfo, int>? hopSamples) => new()
    {
        Connection = ToConnection(),
        Topic = Topic,
        StreamsTopic = StreamsTopic,
        DeadLetterTopic = DeadLetterTopic,
        GroupId = Shard is { } shard ? $"{GroupId}-shard-{shard.Index}" : GroupId,
        StartFrom = StartFrom,
        StartTimestamp = StartTimestamp,
        FetchWaitMaxMs = FetchWaitMaxMs,
        SessionTimeoutMs = SessionTimeoutMs,
        StopAtEnd = StopAtEnd,
        HopSamples = hopSamples,
    };

    /// <summary>
    /// Connects (bounded retries with backoff), reads the stream metadata and returns the source; streams start on the
    /// hop grid of <paramref name="window"/> so every worker and restart computes the same windows.
    /// </summary>
    /// <exception cref="ConfigException">A pass-through property is refused, or no broker answered (key bootstrapServers).</exception>
    public KafkaSource CreateSource(WindowConfig window, Action<string> log)
    {
        var spec = new WindowSpec(window.Length, window.Hop, window.Unit);
        Func<StreamInfo, int> hop = s => window.Unit == WindowUnit.Samples || s.NominalRate > 0 ? spec.HopInSamples(s.NominalRate) : 0;
        try
        {
            return KafkaSource.CreateAsync(ToOptions(hop), new OffsetCommitTracker(), log).GetAwaiter().GetResult();
        }
        catch (ArgumentException ex) when (ex.ParamName is { } key && KafkaConnection.IsManaged(key))
        {
            throw new ConfigException("configuration", "source.kafka.properties." + key, ex.Message);
        }
        catch (Confluent.Kafka.KafkaException ex) when (ex.Error.Code == Confluent.Kafka.ErrorCode.Local_InvalidArg || ex.Message.Contains("configuration property", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigException("configuration", "source.kafka.properties", ex.Message);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("configuration property", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigException("configuration", "source.kafka.properties", ex.Message);
        }
        catch (KafkaUnavailableException ex)
        {
            throw new ConfigException("configuration", "source.kafka.bootstrapServers", ex.Message);
        }
    }

    /// <summary>
    /// The further streams a Kafka worker analyses besides <paramref name="selected"/>: every other regular stream of the
    /// topic when <c>engine.granger.stream</c> is not set (a worker analyses whatever streams its partitions carry).
    /// </summary>
    public static List<StreamInfo> OtherStreams(IReadOnlyList<StreamInfo> streams, StreamInfo selected, string? configuredStream)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var others = new List<StreamInfo>();
        if (configuredStream is not null)
        {
            return others;
        }

        foreach (var stream in streams)
        {
            if (stream.NominalRate > 0 && !ReferenceEquals(stream, selected) && stream.Name != selected.Name)
            {
                others.Add(stream);
            }
        }

        return others;
    }

    /// <summary>
    /// Adapts the Granger stage of a Kafka worker: replay semantics (no skipped hops, the topic buffers), this shard's
    /// target channels, and, when results go to Kafka, commits held back until the stream's results are delivered.
    /// </summary>
    public GrangerStageOptions ForWorker(GrangerStageOptions options, StreamInfo stream, KafkaSource source, bool resultsToKafka)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        if (resultsToKafka)
        {
            source.Tracker.AwaitResultsOf(stream.Name);
        }

        var adapted = options with { SkipWhenBusy = false };
        if (Shard is { } shard)
        {
            if (shard.Count > stream.ChannelCount)
            {
                throw new ConfigException("configuration", "source.kafka.shard.count", $"{shard.Count} shards for stream '{stream.Name}' of {stream.ChannelCount} channels would leave a shard without targets");
            }

            adapted = adapted with { Test = adapted.Test with { TargetChannels = ShardPlan.Targets(stream.ChannelCount, shard.Index, shard.Count) } };
        }

        return adapted;
    }
}
