using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace CausalStream.Kafka.Consuming;

/// <summary>
/// Sends messages that do not decode to the dead-letter topic, unchanged, with headers naming the reason and where
/// they came from (<c>cs-dlq-reason</c>, <c>cs-dlq-status</c>, <c>cs-dlq-topic</c>, <c>cs-dlq-partition</c>,
/// <c>cs-dlq-offset</c>), and counts them.
/// </summary>
public sealed class DeadLetterPublisher : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private long _sent;
    private long _failed;

    public DeadLetterPublisher(KafkaConnection connection, string topic)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Topic = topic;
        var config = new ProducerConfig { LingerMs = 5, EnableIdempotence = true };
        connection.ApplyTo(config);
        _producer = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    public string Topic { get; }

    /// <summary>Dead letters delivered.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Dead letters the broker did not take.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Queues one dead letter; <paramref name="delivered"/> runs when the broker confirmed it.</summary>
    public void Send(byte[]? key, byte[] value, string status, string reason, TopicPartitionOffset origin, Action? delivered)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var headers = new Headers
        {
            { "cs-dlq-reason", Encoding.UTF8.GetBytes(reason) },
            { "cs-dlq-status", Encoding.UTF8.GetBytes(status) },
            { "cs-dlq-topic", Encoding.UTF8.GetBytes(origin.Topic) },
            { "cs-dlq-partition", Encoding.UTF8.GetBytes(origin.Partition.Value.ToString(CultureInfo.InvariantCulture)) },
            { "cs-dlq-offset", Encoding.UTF8.GetBytes(origin.Offset.Value.ToString(CultureInfo.InvariantCulture)) },
        };
        var message = new Message<byte[], byte[]> { Key = key!, Value = value, Headers = headers };
        while (true)
        {
            try
            {
                _producer.Produce(Topic, message, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref _failed);
                    }
                    else
                    {
                        Interlocked.Increment(ref _sent);
                        delivered?.Invoke();
                    }
                });
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    public void Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
