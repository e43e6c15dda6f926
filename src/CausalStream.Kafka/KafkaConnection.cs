namespace CausalStream.Kafka;

/// <summary>
/// Where a Kafka client connects and how: bootstrap servers plus librdkafka properties passed through unchanged
/// (security.protocol, sasl.*, ssl.*, client.id, …). Keys that CausalStream manages itself are refused so a
/// configuration cannot silently break at-least-once delivery.
/// </summary>
public sealed record KafkaConnection
{
    /// <summary>Keys set by CausalStream; a pass-through property may not override them.</summary>
    public static readonly IReadOnlyList<string> ManagedKeys =
    [
        "bootstrap.servers", "group.id", "enable.auto.commit", "enable.auto.offset.store", "auto.offset.reset",
        "enable.idempotence", "enable.partition.eof", "key.serializer", "value.serializer",
    ];

    /// <summary>Comma-separated host:port list.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>Extra librdkafka properties, e.g. <c>{"security.protocol":"SASL_SSL","sasl.mechanism":"PLAIN"}</c>.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>Connection attempts at start-up before giving up (each waits <see cref="ConnectTimeoutSeconds"/>, with doubling pauses in between).</summary>
    public int ConnectAttempts { get; init; } = 5;

    /// <summary>Seconds one start-up attempt waits for the cluster's metadata.</summary>
    public double ConnectTimeoutSeconds { get; init; } = 5;

    /// <summary>Copies the connection into a Confluent.Kafka client configuration.</summary>
    /// <exception cref="ArgumentException">A pass-through property names a managed key.</exception>
    public void ApplyTo(Confluent.Kafka.ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.BootstrapServers = BootstrapServers;
        if (Properties is null)
        {
            return;
        }

        foreach (var pair in Properties)
        {
            if (IsManaged(pair.Key))
            {
                throw new ArgumentException($"property '{pair.Key}' is managed by CausalStream and cannot be set through properties", pair.Key);
            }

            config.Set(pair.Key, pair.Value);
        }
    }

    /// <summary>Whether <paramref name="key"/> is one of <see cref="ManagedKeys"/>.</summary>
    public static bool IsManaged(string key)
    {
        foreach (string managed in ManagedKeys)
        {
            if (string.Equals(managed, key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
