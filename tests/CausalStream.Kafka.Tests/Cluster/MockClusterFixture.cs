using CausalStream.Kafka.Mock;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>One librdkafka mock cluster (3 brokers, initial rebalance delay 0) shared by the cluster tests; each test uses its own topics and groups.</summary>
public sealed class MockClusterFixture : IDisposable
{
    private int _next;

    public MockClusterFixture()
    {
        Cluster = new KafkaMockCluster(brokers: 3, initialRebalanceDelayMs: 0);
    }

    public KafkaMockCluster Cluster { get; }

    public KafkaConnection Connection => new() { BootstrapServers = Cluster.BootstrapServers, ConnectAttempts = 3, ConnectTimeoutSeconds = 5 };

    /// <summary>A fresh topic name with the given prefix, created with <paramref name="partitions"/> partitions, plus its metadata and dead-letter topics.</summary>
    public string NewTopic(string prefix, int partitions)
    {
        string topic = $"{prefix}-{Interlocked.Increment(ref _next)}";
        Cluster.CreateTopic(topic, partitions, 1);
        Cluster.CreateTopic(topic + ".streams", 1, 1);
        Cluster.CreateTopic(topic + ".dlq", 1, 1);
        Cluster.CreateTopic(topic + ".results", partitions, 1);
        return topic;
    }

    public void Dispose() => Cluster.Dispose();
}
