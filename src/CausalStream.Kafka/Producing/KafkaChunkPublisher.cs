using System.Text;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Wire;
using Confluent.Kafka;

namespace CausalStream.Kafka.Producing;

/// <summary>
/// An <see cref="ISourceOutput"/> that publishes what a source produces into Kafka: each stream's metadata once on the
/// compacted metadata topic, then every chunk as a binary chunk message keyed by the stream id, numbered per stream
/// (sequence from 1, first sample index from 0) so consumers detect losses. Used by
/// <c>causalstream simulate --kafka TOPIC</c> and for bridging other sources (e.g. LSL) into Kafka. Markers are not
/// published (counted in <see cref="MarkersIgnored"/>). The idempotent producer keeps per-partition order on retries.
/// </summary>
public sealed class KafkaChunkPublisher : ISourceOutput, IAsyncDisposable
{
    private readonly KafkaPublisherOptions _options;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Dictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private readonly Action<string>? _log;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private byte[] _scratch = new byte[1 << 16];
    private long _published;
    private long _delivered;
    private long _failed;
    private long _markers;
    private string _lastError = string.Empty;

    public KafkaChunkPublisher(KafkaPublisherOptions options, Action<string>? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _log = log;
        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            LingerMs = options.LingerMs,
            CompressionType = CompressionType.None,
        };
        options.Connection.ApplyTo(config);
        _producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, e) => _log?.Invoke($"kafka: producer to '{_options.Topic}' (bootstrap {_options.Connection.BootstrapServers}): {e.Reason}"))
            .SetLogHandler((_, _) => { })
            .Build();
        _onDelivery = OnDelivery;
    }

    /// <summary>Chunks handed to the producer.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Chunks the broker confirmed.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Chunks the broker did not take (after librdkafka's retries).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long MarkersIgnored => Interlocked.Read(ref _markers);

    /// <summary>Publishes a stream's metadata now (before its first chunk) and waits for the broker.</summary>
    public async Task OpenAsync(StreamInfo stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (_streams.ContainsKey(stream.Name))
        {
            return;
        }

        byte[] key = Encoding.UTF8.GetBytes(stream.Name);
        try
        {
            await _producer.ProduceAsync(_options.ResolvedStreamsTopic, new Message<byte[], byte[]> { Key = key, Value = StreamInfoJson.Write(stream) }, cancellationToken).ConfigureAwait(false);
        }
        catch (ProduceException<byte[], byte[]> ex)
        {
            throw new InvalidOperationException($"kafka: publishing the metadata of stream '{stream.Name}' to topic '{_options.ResolvedStreamsTopic}' (bootstrap {_options.Connection.BootstrapServers}) failed: {ex.Error.Reason}", ex);
        }

        _streams[stream.Name] = new StreamState(key, _options.Format ?? stream.Format, _options.PartitionOf?.Invoke(stream));
        _log?.Invoke($"kafka: publishing stream {StreamInfoJson.Describe(stream)} to topic '{_options.Topic}', metadata on '{_options.ResolvedStreamsTopic}'");
    }

    public async ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        try
        {
            if (!_streams.TryGetValue(chunk.Stream.Name, out var state))
            {
                await OpenAsync(chunk.Stream, cancellationToken).ConfigureAwait(false);
                state = _streams[chunk.Stream.Name];
            }

            byte[] value = Encode(chunk, state);
            var message = new Message<byte[], byte[]> { Key = state.Key, Value = value };
            while (true)
            {
                try
                {
                    if (state.Partition is int partition)
                    {
                        _producer.Produce(new TopicPartition(_options.Topic, new Partition(partition)), message, _onDelivery);
                    }
                    else
                    {
                        _producer.Produce(_options.Topic, message, _onDelivery);
                    }

                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                }
            }

            Interlocked.Increment(ref _published);
        }
        finally
        {
            chunk.Dispose();
        }
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _markers);
        return ValueTask.CompletedTask;
    }

    public void ReportError(string stream, string message) => _log?.Invoke($"{stream}: {message}");

    /// <summary>Waits until every queued chunk was delivered or failed (at most <paramref name="timeout"/>); returns how many are still queued.</summary>
    public int Flush(TimeSpan timeout)
    {
        int left = _producer.Flush(timeout);
        if (Failed > 0)
        {
            _log?.Invoke($"kafka: {Failed} chunks were not delivered to '{_options.Topic}': {_lastError}");
        }

        return left;
    }

    public ValueTask DisposeAsync()
    {
        Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
        return ValueTask.CompletedTask;
    }

    private byte[] Encode(SampleChunk chunk, StreamState state)
    {
        long sequence = ++state.Sequence;
        long first = state.NextSample;
        state.NextSample += chunk.SampleCount;
        int bound = ChunkCodec.MaxEncodedLength(state.Key.Length, chunk.ChannelCount, chunk.SampleCount, state.Format);
        if (state.Format != ChannelFormat.String)
        {
            var exact = new byte[bound];
            ChunkCodec.Encode(chunk, state.Key, sequence, first, state.Format, exact);
            return exact;
        }

        if (_scratch.Length < bound)
        {
            _scratch = new byte[bound];
        }

        int length = ChunkCodec.Encode(chunk, state.Key, sequence, first, state.Format, _scratch);
        return _scratch.AsSpan(0, length).ToArray();
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            _lastError = report.Error.Reason;
        }
        else
        {
            Interlocked.Increment(ref _delivered);
        }
    }

    private sealed class StreamState(byte[] key, ChannelFormat format, int? partition)
    {
        public byte[] Key { get; } = key;

        public ChannelFormat Format { get; } = format;

        public int? Partition { get; } = partition;

        public long Sequence;

        public long NextSample;
    }
}
