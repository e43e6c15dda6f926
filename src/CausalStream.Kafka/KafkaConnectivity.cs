using System.Globalization;
using Confluent.Kafka;

namespace CausalStream.Kafka;

/// <summary>
/// Start-up reachability check: asks the cluster for metadata with a bounded timeout, retrying with doubling pauses,
/// and fails with a <see cref="KafkaUnavailableException"/> naming the bootstrap servers instead of hanging.
/// Once running, librdkafka reconnects on its own (reconnect.backoff.ms … reconnect.backoff.max.ms).
/// </summary>
public static class KafkaConnectivity
{
    /// <summary>Waits until the cluster answers; returns its metadata.</summary>
    /// <param name="connection">Servers, properties, attempts and per-attempt timeout.</param>
    /// <param name="topic">A topic to include in the metadata request (null: all).</param>
    /// <param name="log">Receives one line per failed attempt.</param>
    public static async Task<Metadata> WaitForClusterAsync(KafkaConnection connection, string? topic, Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new AdminClientConfig();
        connection.ApplyTo(config);
        config.SocketTimeoutMs ??= (int)Math.Max(1000, connection.ConnectTimeoutSeconds * 1000);
        Exception? last = null;
        string lastError = "no answer";
        int attempts = Math.Max(1, connection.ConnectAttempts);
        TimeSpan pause = TimeSpan.FromMilliseconds(500);
        using var admin = new AdminClientBuilder(config)
            .SetErrorHandler((_, e) => lastError = e.Reason)
            .SetLogHandler((_, _) => { })
            .Build();
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var timeout = TimeSpan.FromSeconds(connection.ConnectTimeoutSeconds);
                var metadata = await Task.Run(() => topic is null ? admin.GetMetadata(timeout) : admin.GetMetadata(topic, timeout), cancellationToken).ConfigureAwait(false);
                if (metadata.Brokers.Count > 0)
                {
                    return metadata;
                }

                lastError = "the cluster reported no brokers";
            }
            catch (KafkaException ex)
            {
                last = ex;
                lastError = ex.Error.Reason;
            }

            if (attempt < attempts)
            {
                log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"kafka: brokers {connection.BootstrapServers} not reachable ({lastError}); attempt {attempt}/{attempts}, retrying in {pause.TotalSeconds:0.#} s"));
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        throw new KafkaUnavailableException(string.Create(CultureInfo.InvariantCulture, $"kafka: no broker of bootstrap.servers '{connection.BootstrapServers}' answered in {attempts} attempts of {connection.ConnectTimeoutSeconds} s: {lastError}"), last);
    }
}
