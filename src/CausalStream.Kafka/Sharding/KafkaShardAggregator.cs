using System.Globalization;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Producing;
using Confluent.Kafka;

namespace CausalStream.Kafka.Sharding;

/// <summary>
/// The aggregator of sharded mode: reads the partial graphs the shard workers publish (header <c>cs-shard</c> =
/// "index/count"), merges each window's parts with <see cref="ShardMerger"/> once every shard delivered, and publishes
/// one graph per window to the output topic with the same JSON and headers as a single worker. Input offsets are
/// committed only when no window is waiting for parts and every merged graph was delivered (at-least-once).
/// </summary>
public sealed class KafkaShardAggregator : IAsyncDisposable
{
    private readonly KafkaShardAggregatorOptions _options;
    private readonly ShardMerger _merger;
    private readonly Action<string>? _log;
    private long _merged;
    private long _rejected;

    public KafkaShardAggregator(KafkaShardAggregatorOptions options, Action<string>? log = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _merger = new ShardMerger(options.ShardCount);
        _log = log;
    }

    /// <summary>Merged graphs published.</summary>
    public long Merged => Interlocked.Read(ref _merged);

    /// <summary>Input messages that were not partial graphs of this shard layout.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Runs until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(() => Loop(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task Loop(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            GroupId = _options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = _options.FetchWaitMaxMs,
            SessionTimeoutMs = _options.SessionTimeoutMs,
            HeartbeatIntervalMs = Math.Max(100, _options.SessionTimeoutMs / 3),
        };
        _options.Connection.ApplyTo(config);
        using var sink = new KafkaResultSink(new KafkaResultSinkOptions { Connection = _options.Connection, Topic = _options.OutputTopic });
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(_options.InputTopic);
        var consumed = new Dictionary<TopicPartition, long>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (record is null)
                {
                    continue;
                }

                consumed[record.TopicPartition] = record.Offset.Value + 1;
                string? shard = ResultHeaders.Get(record.Message.Headers, ResultHeaders.Shard);
                if (shard is null || !TryParseShard(shard, out int index, out int count) || count != _options.ShardCount)
                {
                    Interlocked.Increment(ref _rejected);
                    _log?.Invoke($"aggregator: topic '{record.Topic}' partition {record.Partition.Value} offset {record.Offset.Value}: header '{ResultHeaders.Shard}' is '{shard}', expected i/{_options.ShardCount}; skipped");
                    continue;
                }

                CausalGraph part;
                try
                {
                    part = GraphJsonReader.Read(record.Message.Value, requireAllEdges: true);
                }
                catch (FormatException ex)
                {
                    Interlocked.Increment(ref _rejected);
                    _log?.Invoke($"aggregator: topic '{record.Topic}' partition {record.Partition.Value} offset {record.Offset.Value}: {ex.Message}; skipped");
                    continue;
                }

                if (_merger.TryAdd(part, index, out var merged))
                {
                    await sink.ConsumeAsync(merged!, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _merged);
                }

                if (_merger.Pending == 0 && consumed.Count > 0)
                {
                    await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
                    var offsets = new List<TopicPartitionOffset>(consumed.Count);
                    foreach (var pair in consumed)
                    {
                        offsets.Add(new TopicPartitionOffset(pair.Key, new Offset(pair.Value)));
                    }

                    try
                    {
                        consumer.Commit(offsets);
                        consumed.Clear();
                    }
                    catch (KafkaException ex)
                    {
                        _log?.Invoke($"aggregator: commit on '{_options.InputTopic}' failed: {ex.Error.Reason}; retried later");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            consumer.Close();
        }
    }

    private static bool TryParseShard(string text, out int index, out int count)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        index = 0;
        count = 0;
        return slash > 0
            && int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }
}
