using System.Globalization;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Wire;
using Confluent.Kafka;

namespace CausalStream.Kafka.Consuming;

/// <summary>
/// Reads the compacted stream metadata topic from its beginning to its current end and returns the newest
/// <see cref="StreamInfo"/> per stream id. Records that do not parse are reported and skipped.
/// </summary>
public static class StreamMetadataReader
{
    public static List<StreamInfo> Read(KafkaConnection connection, string topic, TimeSpan timeout, Action<string>? report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var config = new ConsumerConfig
        {
            GroupId = "causalstream-metadata-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 10,
        };
        connection.ApplyTo(config);
        var byName = new Dictionary<string, StreamInfo>(StringComparer.Ordinal);
        var order = new List<string>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var deadline = DateTime.UtcNow + timeout;
        var partitions = new List<TopicPartition>();
        using (var admin = new DependentAdminClientBuilder(consumer.Handle).Build())
        {
            var metadata = admin.GetMetadata(topic, timeout);
            foreach (var t in metadata.Topics)
            {
                if (t.Topic == topic && !t.Error.IsError)
                {
                    foreach (var p in t.Partitions)
                    {
                        partitions.Add(new TopicPartition(topic, p.PartitionId));
                    }
                }
            }
        }

        var ends = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
        {
            var marks = consumer.QueryWatermarkOffsets(partition, timeout);
            if (marks.High.Value > marks.Low.Value)
            {
                ends[partition] = marks.High.Value;
            }
        }

        if (ends.Count == 0)
        {
            return [];
        }

        var assignment = new List<TopicPartitionOffset>();
        foreach (var partition in ends.Keys)
        {
            assignment.Add(new TopicPartitionOffset(partition, Offset.Beginning));
        }

        consumer.Assign(assignment);
        while (ends.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"kafka: reading stream metadata from topic '{topic}' did not reach its end within {timeout.TotalSeconds} s ({ends.Count} partitions left)"));
            }

            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is null)
            {
                continue;
            }

            if (record.Message.Value is { Length: > 0 } value)
            {
                try
                {
                    var stream = StreamInfoJson.Read(value);
                    if (!byName.ContainsKey(stream.Name))
                    {
                        order.Add(stream.Name);
                    }

                    byName[stream.Name] = stream;
                }
                catch (FormatException ex)
                {
                    report?.Invoke($"kafka: topic '{topic}' partition {record.Partition.Value} offset {record.Offset.Value}: {ex.Message}; record skipped");
                }
            }

            if (ends.TryGetValue(record.TopicPartition, out long end) && record.Offset.Value + 1 >= end)
            {
                ends.Remove(record.TopicPartition);
            }
        }

        var result = new List<StreamInfo>(order.Count);
        foreach (string name in order)
        {
            result.Add(byName[name]);
        }

        return result;
    }
}
