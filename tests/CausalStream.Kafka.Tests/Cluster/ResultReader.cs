using CausalStream.Core.Streams;
using CausalStream.Kafka.Producing;
using CausalStream.Kafka.Sharding;
using Confluent.Kafka;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>Reads a results topic from the beginning, as a downstream consumer would, and groups messages by their (stream, window end) identity.</summary>
internal sealed class ResultReader : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;

    public ResultReader(MockClusterFixture fixture, string topic, int partitions)
    {
        var config = new ConsumerConfig { GroupId = "reader-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false, FetchWaitMaxMs = 10 };
        fixture.Connection.ApplyTo(config);
        _consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var assignment = new List<TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            assignment.Add(new TopicPartitionOffset(topic, p, Offset.Beginning));
        }

        _consumer.Assign(assignment);
    }

    public List<Received> Messages { get; } = [];

    public Dictionary<string, List<Received>> ByIdentity()
    {
        var map = new Dictionary<string, List<Received>>();
        foreach (var message in Messages)
        {
            if (!map.TryGetValue(message.Identity, out var list))
            {
                list = [];
                map[message.Identity] = list;
            }

            list.Add(message);
        }

        return map;
    }

    /// <summary>Reads until <paramref name="done"/> holds for the distinct identities, or fails after <paramref name="timeout"/>.</summary>
    public async Task<Dictionary<string, List<Received>>> ReadUntilAsync(Func<Dictionary<string, List<Received>>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var record = await Task.Run(() => _consumer.Consume(TimeSpan.FromMilliseconds(100)));
            if (record is not null)
            {
                var graph = GraphJsonReader.Read(record.Message.Value);
                Messages.Add(new Received(
                    ResultHeaders.Get(record.Message.Headers, ResultHeaders.Identity) ?? "?",
                    ResultHeaders.Get(record.Message.Headers, ResultHeaders.Shard),
                    ResultHeaders.Get(record.Message.Headers, ResultHeaders.Sequence),
                    graph,
                    record.Message.Value));
                continue;
            }

            var map = ByIdentity();
            if (done(map))
            {
                return map;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"results: {map.Count} distinct windows after {timeout.TotalSeconds} s ({Messages.Count} messages)");
            }
        }
    }

    /// <summary>Reads whatever arrives within <paramref name="quiet"/> more.</summary>
    public async Task DrainAsync(TimeSpan quiet)
    {
        var until = DateTime.UtcNow + quiet;
        while (DateTime.UtcNow < until)
        {
            var record = await Task.Run(() => _consumer.Consume(TimeSpan.FromMilliseconds(50)));
            if (record is not null)
            {
                Messages.Add(new Received(
                    ResultHeaders.Get(record.Message.Headers, ResultHeaders.Identity) ?? "?",
                    ResultHeaders.Get(record.Message.Headers, ResultHeaders.Shard),
                    ResultHeaders.Get(record.Message.Headers, ResultHeaders.Sequence),
                    GraphJsonReader.Read(record.Message.Value),
                    record.Message.Value));
            }
        }
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }

    internal sealed record Received(string Identity, string? Shard, string? Sequence, CausalGraph Graph, byte[] Json);
}
