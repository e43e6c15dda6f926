using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Sinks;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Consuming;
using Confluent.Kafka;

namespace CausalStream.Kafka.Producing;

/// <summary>
/// Publishes results to a Kafka topic as the JSON of docs/formats.md (<see cref="ResultJson"/>), keyed by stream id,
/// through an idempotent producer, with headers identifying each window's result (<see cref="ResultHeaders"/>). When
/// the broker confirms a graph, the shared <see cref="OffsetCommitTracker"/> learns it, which lets the source commit
/// the offsets of the samples behind it (at-least-once).
/// </summary>
public sealed class KafkaResultSink : IResultSink, IDisposable, IAsyncDisposable
{
    private readonly KafkaResultSinkOptions _options;
    private readonly OffsetCommitTracker? _tracker;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly byte[]? _shard;
    private long _queued;
    private long _delivered;
    private long _failed;
    private string _lastError = string.Empty;
    private int _disposed;
    private readonly PipelineEventLog? _events;

    /// <param name="options">Cluster, topic and what to publish.</param>
    /// <param name="tracker">The Kafka source's tracker, told about every delivered graph; null without a Kafka source.</param>
    /// <param name="events">Where undelivered results are reported (rate-limited); null = only counted.</param>
    public KafkaResultSink(KafkaResultSinkOptions options, OffsetCommitTracker? tracker = null, PipelineEventLog? events = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _tracker = tracker;
        _events = events;
        // A 64-channel graph is about 1.5 MB of JSON: compress (JSON shrinks several-fold) and allow large messages.
        var config = new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = options.LingerMs,
            CompressionType = options.Compression,
            MessageMaxBytes = options.MaxMessageBytes,
        };
        options.Connection.ApplyTo(config);
        _producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, e) => _lastError = e.Reason)
            .SetLogHandler((_, _) => { })
            .Build();
        _writer = new Utf8JsonWriter(_buffer);
        if (options.ShardIndex is int index && options.ShardCount is int count)
        {
            _shard = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{index}/{count}"));
        }
    }

    public string Name => "kafka:" + _options.Topic;

    /// <summary>Results the broker confirmed.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Results the broker did not take after the producer's retries (their offsets are not committed).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public async ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool wanted = result switch
        {
            CausalGraph => true,
            StimulationDecision => _options.IncludeDecisions,
            PipelineStatus => _options.IncludeStatus,
            _ => false,
        };
        if (!wanted)
        {
            return;
        }

        _buffer.Clear();
        _writer.Reset(_buffer);
        if (!ResultJson.TryWrite(_writer, result, significantEdgesOnly: _options.Edges == ResultEdges.Significant))
        {
            return;
        }

        _writer.Flush();
        var headers = new Headers();
        byte[] key;
        Action<DeliveryReport<byte[], byte[]>> onDelivery;
        if (result is CausalGraph graph)
        {
            key = KeyOf(graph.Stream);
            string end = ResultHeaders.FormatTime(graph.WindowEnd);
            headers.Add(ResultHeaders.Type, "graph"u8.ToArray());
            headers.Add(ResultHeaders.Stream, key);
            headers.Add(ResultHeaders.WindowStart, Encoding.UTF8.GetBytes(ResultHeaders.FormatTime(graph.WindowStart)));
            headers.Add(ResultHeaders.WindowEnd, Encoding.UTF8.GetBytes(end));
            headers.Add(ResultHeaders.Identity, Encoding.UTF8.GetBytes(graph.Stream + "|" + end));
            if (_tracker is not null && _tracker.TryFindSequence(graph.Stream, graph.WindowEnd, out long sequence))
            {
                headers.Add(ResultHeaders.Sequence, Encoding.UTF8.GetBytes(sequence.ToString(CultureInfo.InvariantCulture)));
            }

            if (_shard is not null)
            {
                headers.Add(ResultHeaders.Shard, _shard);
            }

            string stream = graph.Stream;
            double start = graph.WindowStart;
            onDelivery = report =>
            {
                if (Delivery(report))
                {
                    _tracker?.MarkPublished(stream, start);
                }
            };
        }
        else
        {
            key = KeyOf(result is PipelineStatus ? "status" : "decisions");
            headers.Add(ResultHeaders.Type, Encoding.UTF8.GetBytes(result is PipelineStatus ? "status" : "decision"));
            onDelivery = report => Delivery(report);
        }

        var message = new Message<byte[], byte[]> { Key = key, Value = _buffer.WrittenSpan.ToArray(), Headers = headers };
        while (true)
        {
            try
            {
                _producer.Produce(_options.Topic, message, onDelivery);
                Interlocked.Increment(ref _queued);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        int left = _producer.Flush(TimeSpan.FromSeconds(30));
        if (left > 0 || Failed > 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"kafka: results topic '{_options.Topic}' (bootstrap {_options.Connection.BootstrapServers}): {left} results still queued and {Failed} failed at shutdown; last error: {_lastError}. Their input offsets were not committed and will be re-read."));
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writer.Dispose();
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private bool Delivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            _lastError = $"partition {report.Partition.Value}: {report.Error.Reason}";
            _events?.Report(PipelineEventKind.SinkFailed, Name, $"kafka: a result for stream '{ResultHeaders.Get(report.Message.Headers, ResultHeaders.Stream) ?? "?"}' (window end {ResultHeaders.Get(report.Message.Headers, ResultHeaders.WindowEnd) ?? "-"}) was not delivered to topic '{_options.Topic}' {_lastError}; its input offsets stay uncommitted and will be re-read after a restart");
            return false;
        }

        Interlocked.Increment(ref _delivered);
        return true;
    }

    private byte[] KeyOf(string stream)
    {
        if (!_keys.TryGetValue(stream, out var key))
        {
            key = Encoding.UTF8.GetBytes(stream);
            _keys[stream] = key;
        }

        return key;
    }
}
