using CausalStream.Kafka;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Producing;

namespace CausalStream.Cli.Configuration;

/// <summary>
/// <c>sinks.kafka</c>: results as JSON on a Kafka topic, keyed by stream id, through an idempotent producer
/// (docs/kafka.md). With a Kafka source, the source commits its offsets only after these results were delivered.
/// </summary>
public sealed record KafkaSinkConfig
{
    /// <summary>host:port list; null = the Kafka source's.</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>Results topic.</summary>
    public required string Topic { get; init; }

    /// <summary>Also publish the periodic status reports.</summary>
    public bool IncludeStatus { get; init; }

    /// <summary>Edges in each graph message: all tested pairs (default), or only the significant ones.</summary>
    public ResultEdges Edges { get; init; } = ResultEdges.All;

    /// <summary>The sink's queue (results waiting to be produced).</summary>
    public int Capacity { get; init; } = 1024;

    /// <summary>librdkafka properties passed through (security.protocol, sasl.*, ssl.*, …); null = the Kafka source's.</summary>
    public Dictionary<string, string>? Properties { get; init; }

    public KafkaResultSinkOptions ToOptions(KafkaSourceConfig? source) => new()
    {
        Connection = new KafkaConnection
        {
            BootstrapServers = BootstrapServers ?? source?.BootstrapServers ?? string.Empty,
            Properties = Properties ?? source?.Properties,
        },
        Topic = Topic,
        IncludeStatus = IncludeStatus,
        Edges = Edges,
        ShardIndex = source?.Shard?.Index,
        ShardCount = source?.Shard?.Count,
    };

    /// <summary>Creates the results producer; with a Kafka source, pass its tracker so offsets wait for delivered results.</summary>
    /// <exception cref="ConfigException">A pass-through property is refused by librdkafka.</exception>
    public KafkaResultSink CreateSink(KafkaSourceConfig? source, OffsetCommitTracker? tracker, CausalStream.Core.Pipeline.PipelineEventLog? events = null)
    {
        try
        {
            return new KafkaResultSink(ToOptions(source), tracker, events);
        }
        catch (ArgumentException ex) when (ex.ParamName is { } key && KafkaConnection.IsManaged(key))
        {
            throw new ConfigException("configuration", "sinks.kafka.properties." + key, ex.Message);
        }
        catch (Exception ex) when (ex is Confluent.Kafka.KafkaException or InvalidOperationException)
        {
            throw new ConfigException("configuration", "sinks.kafka.properties", ex.Message);
        }
    }
}
