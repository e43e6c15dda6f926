using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Kafka.Wire;
using Confluent.Kafka;

namespace CausalStream.Kafka.Consuming;

/// <summary>
/// A pipeline source reading chunk messages from a Kafka topic as a member of a consumer group: workers with the same
/// group split the partitions (one stream per key). Messages are decoded straight into pooled chunks; ones that do not
/// decode go to the dead-letter topic with their reason and the stream continues. Offsets are committed only as far as
/// the <see cref="OffsetCommitTracker"/> allows, i.e. after the results derived from the samples were published, so a
/// restarted or replacing worker resumes without losing a window. Sequence gaps and repeats are detected per stream.
/// Create it with <see cref="CreateAsync"/>, which waits for the cluster and reads the stream metadata first.
/// </summary>
public sealed class KafkaSource : ISampleSource, IAsyncDisposable
{
    private readonly KafkaSourceOptions _options;
    private readonly StreamRegistry _registry;
    private readonly Action<string>? _log;
    private readonly StartPositionPlanner _planner;
    private readonly Dictionary<string, StreamState> _states = new(StringComparer.Ordinal);
    private readonly List<TopicPartition> _assigned = new();
    private readonly HashSet<TopicPartition> _atEnd = new();
    private readonly object _gate = new();
    private IConsumer<byte[], ConsumedChunk>? _consumer;
    private DeadLetterPublisher? _deadLetters;
    private ISourceOutput? _output;
    private volatile bool _commitOnRevoke = true;
    private long _consumed;
    private long _deadLettered;
    private long _gaps;
    private long _repeats;
    private long _commits;
    private int _closed;

    private KafkaSource(KafkaSourceOptions options, StreamRegistry registry, OffsetCommitTracker tracker, Action<string>? log)
    {
        _options = options;
        _registry = registry;
        _log = log;
        Tracker = tracker;
        Streams = registry.Streams;
        _planner = new StartPositionPlanner(options.StartFrom, options.StartTimestamp);
    }

    public string Name => "kafka:" + _options.Topic;

    public IReadOnlyList<StreamInfo> Streams { get; }

    /// <summary>Decides what may be committed; share it with the results sink.</summary>
    public OffsetCommitTracker Tracker { get; }

    public KafkaSourceOptions Options => _options;

    /// <summary>Chunk messages decoded and handed to the pipeline.</summary>
    public long ChunksConsumed => Interlocked.Read(ref _consumed);

    /// <summary>Messages sent to the dead-letter topic.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Jumps in a stream's chunk sequence (lost or skipped messages).</summary>
    public long SequenceGaps => Interlocked.Read(ref _gaps);

    /// <summary>Chunks skipped because this worker had already delivered them (re-read after a rebalance).</summary>
    public long RepeatsSkipped => Interlocked.Read(ref _repeats);

    /// <summary>Offset commits made.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Partitions currently assigned to this worker.</summary>
    public IReadOnlyList<TopicPartition> Assignment
    {
        get
        {
            lock (_gate)
            {
                return [.. _assigned];
            }
        }
    }

    /// <summary>Every partition this worker has been assigned at some point.</summary>
    public IReadOnlyCollection<TopicPartition> EverAssigned
    {
        get
        {
            lock (_gate)
            {
                return [.. _ever];
            }
        }
    }

    private readonly HashSet<TopicPartition> _ever = new();

    /// <summary>
    /// Waits for the cluster (bounded retries with backoff, then <see cref="KafkaUnavailableException"/>), reads the
    /// stream metadata topic and adds the streams declared in <see cref="KafkaSourceOptions.Streams"/>.
    /// </summary>
    public static async Task<KafkaSource> CreateAsync(KafkaSourceOptions options, OffsetCommitTracker? tracker = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await KafkaConnectivity.WaitForClusterAsync(options.Connection, options.Topic, log, cancellationToken).ConfigureAwait(false);
        var registry = new StreamRegistry();
        var found = await Task.Run(() => StreamMetadataReader.Read(options.Connection, options.ResolvedStreamsTopic, TimeSpan.FromSeconds(options.MetadataTimeoutSeconds), log, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var stream in found)
        {
            registry.Add(stream);
        }

        if (options.Streams is not null)
        {
            foreach (var stream in options.Streams)
            {
                registry.Add(stream);
            }
        }

        if (registry.Streams.Count == 0)
        {
            throw new InvalidOperationException($"kafka: no stream metadata in topic '{options.ResolvedStreamsTopic}' and none declared in the configuration; publish the streams first (causalstream simulate --kafka) or declare them");
        }

        return new KafkaSource(options, registry, tracker ?? new OffsetCommitTracker(), log);
    }

    public Task RunAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _deadLetters = new DeadLetterPublisher(_options.Connection, _options.ResolvedDeadLetterTopic);
        _consumer = BuildConsumer();
        _consumer.Subscribe(_options.Topic);
        return Task.Factory.StartNew(() => Loop(output, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Commits what the tracker releases (when <paramref name="commit"/>) and leaves the group. Call after the pipeline
    /// finished and the results sink flushed. <paramref name="commit"/> false models a crash: nothing more is committed.
    /// </summary>
    public ValueTask CloseAsync(bool commit)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _commitOnRevoke = commit;
        var consumer = _consumer;
        if (consumer is not null)
        {
            if (commit)
            {
                CommitReleased(consumer);
            }

            try
            {
                consumer.Close();
            }
            catch (KafkaException ex)
            {
                _log?.Invoke($"kafka: closing the consumer of '{_options.Topic}': {ex.Error.Reason}");
            }

            consumer.Dispose();
        }

        _deadLetters?.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => CloseAsync(commit: true);

    private IConsumer<byte[], ConsumedChunk> BuildConsumer()
    {
        var config = new ConsumerConfig
        {
            GroupId = _options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = _options.FetchWaitMaxMs,
            SessionTimeoutMs = _options.SessionTimeoutMs,
            HeartbeatIntervalMs = _options.HeartbeatIntervalMs ?? Math.Max(100, _options.SessionTimeoutMs / 3),
            EnablePartitionEof = _options.StopAtEnd,
            ClientId = "causalstream-" + Environment.MachineName,
        };
        _options.Connection.ApplyTo(config);
        return new ConsumerBuilder<byte[], ConsumedChunk>(config)
            .SetValueDeserializer(new ChunkDeserializer(_registry))
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, _) => { })
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler(OnLost)
            .Build();
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[], ConsumedChunk> consumer, List<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (!_assigned.Contains(partition))
                {
                    _assigned.Add(partition);
                }

                _ever.Add(partition);
                _atEnd.Remove(partition);
            }
        }

        var queries = _planner.TimestampQueries(partitions);
        List<TopicPartitionOffset>? byTime = null;
        if (queries.Count > 0)
        {
            try
            {
                byTime = consumer.OffsetsForTimes(queries, TimeSpan.FromSeconds(10));
            }
            catch (KafkaException ex)
            {
                Report(Name, $"kafka: looking up offsets for time {_options.StartTimestamp:O} on topic '{_options.Topic}' failed ({ex.Error.Reason}); those partitions start at their end");
            }
        }

        var plan = _planner.Plan(partitions, byTime);
        _log?.Invoke($"kafka: group '{_options.GroupId}' assigned {Describe(plan)}");
        return plan;
    }

    private void OnRevoked(IConsumer<byte[], ConsumedChunk> consumer, List<TopicPartitionOffset> partitions)
    {
        if (_commitOnRevoke)
        {
            CommitReleased(consumer);
        }

        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _assigned.Remove(partition.TopicPartition);
                _atEnd.Remove(partition.TopicPartition);
            }
        }
    }

    private void OnLost(IConsumer<byte[], ConsumedChunk> consumer, List<TopicPartitionOffset> partitions)
    {
        Report(Name, $"kafka: partitions lost without a clean hand-over (session timed out?): {Describe(partitions)}; they resume elsewhere from the last commit");
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _assigned.Remove(partition.TopicPartition);
                _atEnd.Remove(partition.TopicPartition);
            }
        }
    }

    private void OnError(Error error)
    {
        string message = $"kafka: {(error.IsFatal ? "fatal " : string.Empty)}error on topic '{_options.Topic}' (bootstrap {_options.Connection.BootstrapServers}): {error.Reason}; librdkafka retries with backoff";
        _log?.Invoke(message);
        Report(Name, message);
    }

    private void Loop(ISourceOutput output, CancellationToken cancellationToken)
    {
        var consumer = _consumer!;
        long lastCommit = MonotonicClock.Now;
        long commitTicks = MonotonicClock.FromSeconds(_options.CommitIntervalMs / 1000.0);
        while (!cancellationToken.IsCancellationRequested)
        {
            ConsumeResult<byte[], ConsumedChunk>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException ex)
            {
                Report(Name, $"kafka: consume failed on topic '{ex.ConsumerRecord?.Topic ?? _options.Topic}' partition {ex.ConsumerRecord?.Partition.Value} offset {ex.ConsumerRecord?.Offset.Value}: {ex.Error.Reason}");
                if (ex.Error.IsFatal)
                {
                    throw;
                }

                continue;
            }

            if (record is not null)
            {
                if (record.IsPartitionEOF)
                {
                    lock (_gate)
                    {
                        _atEnd.Add(record.TopicPartition);
                    }
                }
                else
                {
                    lock (_gate)
                    {
                        _atEnd.Remove(record.TopicPartition);
                    }

                    Handle(record, output, cancellationToken);
                }
            }

            if (MonotonicClock.Now - lastCommit >= commitTicks)
            {
                lastCommit = MonotonicClock.Now;
                CommitReleased(consumer);
            }

            if (_options.StopAtEnd && AllAtEnd())
            {
                break;
            }
        }
    }

    private bool AllAtEnd()
    {
        lock (_gate)
        {
            if (_assigned.Count == 0)
            {
                return false;
            }

            foreach (var partition in _assigned)
            {
                if (!_atEnd.Contains(partition))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private void Handle(ConsumeResult<byte[], ConsumedChunk> record, ISourceOutput output, CancellationToken cancellationToken)
    {
        var result = record.Message.Value.Result;
        if (!result.IsOk)
        {
            DeadLetter(record, result);
            return;
        }

        var chunk = result.Chunk!;
        var stream = result.Stream!;
        var header = result.Header;
        if (!_states.TryGetValue(stream.Name, out var state))
        {
            state = new StreamState();
            _states[stream.Name] = state;
        }

        if (state.Started && header.Sequence <= state.LastSequence)
        {
            Interlocked.Increment(ref _repeats);
            chunk.Dispose();
            return;
        }

        if (state.Started && header.Sequence != state.LastSequence + 1)
        {
            Interlocked.Increment(ref _gaps);
            long lost = header.Sequence - state.LastSequence - 1;
            Report(stream.Name, string.Create(CultureInfo.InvariantCulture, $"kafka: stream '{stream.Name}' sequence gap on topic '{record.Topic}' partition {record.Partition.Value} offset {record.Offset.Value}: expected chunk {state.LastSequence + 1}, got {header.Sequence} ({lost} chunks missing)"));
        }

        if (!state.Started)
        {
            int hop = _options.HopSamples?.Invoke(stream) ?? 0;
            long first = header.FirstSampleIndex;
            long skip = hop > 1 ? ((first + hop - 1) / hop * hop) - first : 0;
            if (skip >= chunk.SampleCount)
            {
                chunk.Dispose();
                Tracker.Track(record.TopicPartition, record.Offset.Value, null, double.NaN, double.NaN, header.Sequence);
                return;
            }

            if (skip > 0)
            {
                chunk = Trim(chunk, (int)skip);
            }

            state.Started = true;
        }

        state.LastSequence = header.Sequence;
        if (chunk.SampleCount == 0)
        {
            Tracker.Track(record.TopicPartition, record.Offset.Value, null, double.NaN, double.NaN, header.Sequence);
            chunk.Dispose();
            return;
        }

        var stamps = chunk.Timestamps;
        Tracker.Track(record.TopicPartition, record.Offset.Value, stream.Name, stamps[0], stamps[^1], header.Sequence);
        Interlocked.Increment(ref _consumed);
        var write = output.WriteAsync(chunk, cancellationToken);
        if (!write.IsCompletedSuccessfully)
        {
            try
            {
                write.AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private static SampleChunk Trim(SampleChunk chunk, int skip)
    {
        int n = chunk.SampleCount - skip;
        int c = chunk.ChannelCount;
        var trimmed = SampleChunk.Rent(chunk.Stream, n, c, chunk.ArrivalTicks);
        chunk.Timestamps[skip..].CopyTo(trimmed.Timestamps);
        chunk.Values[(skip * c)..].CopyTo(trimmed.Values);
        chunk.Dispose();
        return trimmed;
    }

    private void DeadLetter(ConsumeResult<byte[], ConsumedChunk> record, ChunkDecodeResult result)
    {
        Interlocked.Increment(ref _deadLettered);
        string streamName = result.Stream?.Name ?? Name;
        if (result.Stream is null && record.Message.Key is { Length: > 0 } key && _registry.TryGet(key, out var keyed))
        {
            streamName = keyed.Name;
        }

        string reason = $"topic '{record.Topic}' partition {record.Partition.Value} offset {record.Offset.Value}: {result.Reason}";
        Report(streamName, $"kafka: undecodable message sent to dead-letter topic '{_options.ResolvedDeadLetterTopic}': {reason}");
        var entry = Tracker.Track(record.TopicPartition, record.Offset.Value, null, double.NaN, double.NaN, 0, holdUntilReleased: true);
        _deadLetters!.Send(record.Message.Key, record.Message.Value.RawOnError ?? [], result.Status.ToString(), result.Reason, record.TopicPartitionOffset, () => Tracker.Release(entry));
    }

    private void CommitReleased(IConsumer<byte[], ConsumedChunk> consumer)
    {
        List<TopicPartition> assigned;
        lock (_gate)
        {
            assigned = [.. _assigned];
        }

        if (assigned.Count == 0)
        {
            return;
        }

        var commits = Tracker.TakeCommits(assigned);
        if (commits.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(commits);
            Interlocked.Increment(ref _commits);
        }
        catch (KafkaException ex)
        {
            Tracker.Requeue(commits);
            Report(Name, $"kafka: committing {Describe(commits)} failed: {ex.Error.Reason}; retried at the next commit");
        }
    }

    private void Report(string stream, string message)
    {
        _output?.ReportError(stream, message);
    }

    private static string Describe(IEnumerable<TopicPartitionOffset> offsets)
    {
        var text = new System.Text.StringBuilder();
        foreach (var item in offsets)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(item.Topic).Append('[').Append(item.Partition.Value.ToString(CultureInfo.InvariantCulture)).Append("]@").Append(item.Offset.ToString());
        }

        return text.Length == 0 ? "(none)" : text.ToString();
    }

    private sealed class StreamState
    {
        public bool Started;
        public long LastSequence;
    }
}
