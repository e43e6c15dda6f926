using System.Globalization;
using CausalStream.Kafka;
using CausalStream.Kafka.Consuming;
using CausalStream.Kafka.Producing;

namespace CausalStream.Cli.Configuration;

/// <summary>Checks <c>source.kafka</c> and <c>sinks.kafka</c>: server lists, topic names, timings, the shard and pass-through properties; every message names the key.</summary>
internal static class KafkaConfigValidator
{
    public static void ValidateSource(KafkaSourceConfig kafka, string source)
    {
        const string prefix = "source.kafka.";
        ValidateServers(kafka.BootstrapServers, source, prefix + "bootstrapServers");
        ValidateTopic(kafka.Topic, source, prefix + "topic");
        if (kafka.StreamsTopic is not null)
        {
            ValidateTopic(kafka.StreamsTopic, source, prefix + "streamsTopic");
        }

        if (kafka.DeadLetterTopic is not null)
        {
            ValidateTopic(kafka.DeadLetterTopic, source, prefix + "deadLetterTopic");
        }

        Require(!string.IsNullOrWhiteSpace(kafka.GroupId), source, prefix + "groupId", "must name a consumer group");
        Require(kafka.StartFrom != KafkaStartPosition.Timestamp || kafka.StartTimestamp is not null, source, prefix + "startTimestamp", "startFrom \"timestamp\" needs startTimestamp, e.g. \"2026-01-31T12:00:00Z\"");
        Require(kafka.StartTimestamp is null || kafka.StartFrom == KafkaStartPosition.Timestamp, source, prefix + "startTimestamp", "is only used with startFrom \"timestamp\"");
        Require(kafka.FetchWaitMaxMs is >= 0 and <= 300000, source, prefix + "fetchWaitMaxMs", $"must be 0..300000 ms (was {kafka.FetchWaitMaxMs})");
        Require(kafka.SessionTimeoutMs is >= 1000 and <= 3600000, source, prefix + "sessionTimeoutMs", $"must be 1000..3600000 ms (was {kafka.SessionTimeoutMs})");
        Require(kafka.ConnectAttempts >= 1, source, prefix + "connectAttempts", $"must be at least 1 (was {kafka.ConnectAttempts})");
        Require(double.IsFinite(kafka.ConnectTimeoutSeconds) && kafka.ConnectTimeoutSeconds > 0, source, prefix + "connectTimeoutSeconds", $"must be positive seconds (was {ConfigValidator.Format(kafka.ConnectTimeoutSeconds)})");
        ValidateProperties(kafka.Properties, source, prefix + "properties");
        if (kafka.Shard is { } shard)
        {
            Require(shard.Count >= 2, source, prefix + "shard.count", $"must be at least 2 (was {shard.Count}); leave shard out for a single worker");
            Require(shard.Index >= 0 && shard.Index < shard.Count, source, prefix + "shard.index", $"must be 0..{shard.Count - 1} (was {shard.Index})");
        }
    }

    public static void ValidateSink(KafkaSinkConfig kafka, KafkaSourceConfig? kafkaSource, string source)
    {
        const string prefix = "sinks.kafka.";
        Require(kafka.BootstrapServers is not null || kafkaSource is not null, source, prefix + "bootstrapServers", "is required unless source.kafka gives the brokers");
        if (kafka.BootstrapServers is not null)
        {
            ValidateServers(kafka.BootstrapServers, source, prefix + "bootstrapServers");
        }

        ValidateTopic(kafka.Topic, source, prefix + "topic");
        Require(kafka.Capacity > 0, source, prefix + "capacity", $"must be positive (was {kafka.Capacity})");
        ValidateProperties(kafka.Properties, source, prefix + "properties");
        if (kafkaSource is not null)
        {
            Require(kafka.Topic != kafkaSource.Topic, source, prefix + "topic", $"'{kafka.Topic}' is the source's chunk topic; results need their own topic");
            Require(kafkaSource.Shard is null || kafka.Edges == ResultEdges.All, source, prefix + "edges", "must be 'all' in sharded mode: the aggregator re-adjusts the p-values of every edge of every shard");
        }
    }

    private static void ValidateServers(string servers, string source, string key)
    {
        Require(!string.IsNullOrWhiteSpace(servers), source, key, "must list at least one host:port");
        foreach (string part in servers.Split(','))
        {
            string server = part.Trim();
            int colon = server.LastIndexOf(':');
            bool ok = colon > 0 && int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536;
            Require(ok, source, key, $"'{server}' is not host:port (e.g. localhost:9092)");
        }
    }

    private static void ValidateTopic(string topic, string source, string key)
    {
        Require(!string.IsNullOrWhiteSpace(topic), source, key, "must name a topic");
        Require(topic.Length <= 249 && topic != "." && topic != "..", source, key, $"'{topic}' is not a valid topic name (1..249 characters, not '.' or '..')");
        foreach (char ch in topic)
        {
            Require(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-', source, key, $"'{topic}' is not a valid topic name: '{ch}' is not one of a-z A-Z 0-9 . _ -");
        }
    }

    private static void ValidateProperties(Dictionary<string, string>? properties, string source, string key)
    {
        if (properties is null)
        {
            return;
        }

        foreach (var pair in properties)
        {
            Require(!string.IsNullOrWhiteSpace(pair.Key), source, key, "property names must not be empty");
            Require(!KafkaConnection.IsManaged(pair.Key), source, key + "." + pair.Key, "is set by CausalStream itself and cannot be overridden");
        }
    }

    private static void Require(bool condition, string source, string key, string reason) => ConfigValidator.Require(condition, source, key, reason);
}
