using CausalStream.Cli.Configuration;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Producing;

namespace CausalStream.Kafka.Tests.Configuration;

/// <summary><c>source.kafka</c> and <c>sinks.kafka</c> binding and validation through the CLI's loader.</summary>
public sealed class KafkaConfigTests
{
    private static string Config(string kafkaSource, string sinks = "")
        => "{ \"source\": { \"kafka\": " + kafkaSource + " }, \"window\": { \"length\": 2, \"hop\": 0.5 }" + (sinks.Length > 0 ? ", \"sinks\": " + sinks : string.Empty) + " }";

    [Fact]
    public void KafkaKeysBindWithDefaults()
    {
        var config = ConfigLoader.Parse(Config("""
            { "bootstrapServers": "broker:9092", "topic": "eeg", "startFrom": "timestamp", "startTimestamp": "2026-01-31T12:00:00Z",
              "properties": { "security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN" }, "shard": { "index": 1, "count": 2 } }
            """, """{ "kafka": { "topic": "eeg.results" } }"""), "k.json");
        var kafka = config.Source.Kafka!;
        Assert.Equal("broker:9092", kafka.BootstrapServers);
        Assert.Equal(KafkaStartPosition.Timestamp, kafka.StartFrom);
        Assert.Equal("causalstream", kafka.GroupId);
        Assert.Equal(10, kafka.FetchWaitMaxMs);
        Assert.Equal("SASL_SSL", kafka.Properties!["security.protocol"]);
        var options = kafka.ToOptions(null);
        Assert.Equal("causalstream-shard-1", options.GroupId);
        Assert.Equal("eeg.streams", options.ResolvedStreamsTopic);
        Assert.Equal("eeg.dlq", options.ResolvedDeadLetterTopic);
        var sink = config.Sinks.Kafka!.ToOptions(kafka);
        Assert.Equal("broker:9092", sink.Connection.BootstrapServers);
        Assert.Equal("SASL_SSL", sink.Connection.Properties!["security.protocol"]);
        Assert.Equal(1, sink.ShardIndex);
        Assert.Equal(2, sink.ShardCount);
        Assert.Equal(ResultEdges.All, sink.Edges);
    }

    [Fact]
    public void SignificantEdgesBindForAWholeGraphWorker()
    {
        var config = ConfigLoader.Parse(Config("""{ "bootstrapServers": "b:9092", "topic": "eeg" }""", """{ "kafka": { "topic": "eeg.results", "edges": "significant" } }"""), "k.json");
        Assert.Equal(ResultEdges.Significant, config.Sinks.Kafka!.ToOptions(config.Source.Kafka).Edges);
    }

    [Theory]
    [InlineData("""{ "topic": "eeg" }""", "", "source.kafka.bootstrapServers", "missing required value")]
    [InlineData("""{ "bootstrapServers": "broker", "topic": "eeg" }""", "", "source.kafka.bootstrapServers", "not host:port")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "e e g" }""", "", "source.kafka.topic", "not a valid topic name")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg", "startFrom": "timestamp" }""", "", "source.kafka.startTimestamp", "needs startTimestamp")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg", "startFrom": "yesterday" }""", "", "source.kafka.startFrom", "wrong type")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg", "sessionTimeoutMs": 10 }""", "", "source.kafka.sessionTimeoutMs", "1000..3600000")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg", "properties": { "group.id": "x" } }""", "", "source.kafka.properties.group.id", "set by CausalStream")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg", "shard": { "index": 2, "count": 2 } }""", "", "source.kafka.shard.index", "0..1")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg", "grupId": "x" }""", "", "source.kafka.grupId", "unknown key")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg" }""", """{ "kafka": { "topic": "eeg" } }""", "sinks.kafka.topic", "results need their own topic")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg" }""", """{ "kafka": { "topic": "r", "capacity": 0 } }""", "sinks.kafka.capacity", "must be positive")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg" }""", """{ "kafka": { "topic": "r", "edges": "some" } }""", "sinks.kafka.edges", "wrong type")]
    [InlineData("""{ "bootstrapServers": "b:9092", "topic": "eeg", "shard": { "index": 0, "count": 2 } }""", """{ "kafka": { "topic": "r", "edges": "significant" } }""", "sinks.kafka.edges", "must be 'all' in sharded mode")]
    public void BadKafkaSettingsNameTheKey(string kafka, string sinks, string key, string reason)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Config(kafka, sinks), "k.json"));
        Assert.Equal(key, ex.Key);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AKafkaSinkWithoutBrokersNeedsAKafkaSource()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 0.5 }, "sinks": { "kafka": { "topic": "r" } } }""", "k.json"));
        Assert.Equal("sinks.kafka.bootstrapServers", ex.Key);
    }

    [Fact]
    public void TwoSourcesAreRefused()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "source": { "simulator": {}, "kafka": { "bootstrapServers": "b:1", "topic": "t" } }, "window": { "length": 2, "hop": 0.5 } }""", "k.json"));
        Assert.Equal("source", ex.Key);
        Assert.Contains("source.kafka", ex.Reason, StringComparison.Ordinal);
    }
}
