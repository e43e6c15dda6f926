namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>Cluster tests share one mock cluster and run one at a time (fault injection would disturb the others).</summary>
[CollectionDefinition(Name)]
public sealed class MockClusterCollection : ICollectionFixture<MockClusterFixture>
{
    public const string Name = "kafka mock cluster";
}
