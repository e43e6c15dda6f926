using Confluent.Kafka;

namespace CausalStream.Kafka.Consuming;

/// <summary>
/// Decides which consumed offsets may be committed so that delivery is at-least-once: a chunk of an analysed stream
/// is released only when a result whose window starts after the chunk's last sample has been published (so a
/// restart from the committed offset recomputes every window not yet published, at worst the last published one
/// again, identifiable by its stream and window end). Other messages (unanalysed streams, dead letters once delivered)
/// are released at once. Per partition the committed offset is the first offset still needed.
/// Thread-safe: the source tracks and commits, the results sink marks publications from its delivery reports.
/// </summary>
public sealed class OffsetCommitTracker
{
    private readonly object _gate = new();
    private readonly Dictionary<TopicPartition, Queue<Entry>> _partitions = new();
    private readonly Dictionary<TopicPartition, long> _committed = new();
    private readonly Dictionary<string, double> _publishedStart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TopicPartition> _partitionOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _awaited = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, long> _retry = new();
    private long _published;

    /// <summary>Results published and confirmed by the broker so far.</summary>
    public long ResultsPublished => Interlocked.Read(ref _published);

    /// <summary>Messages consumed but not yet releasable, over all partitions.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                int n = 0;
                foreach (var queue in _partitions.Values)
                {
                    n += queue.Count;
                }

                return n;
            }
        }
    }

    /// <summary>Declares that results of <paramref name="stream"/> are published to Kafka, so its chunks wait for them.</summary>
    public void AwaitResultsOf(string stream)
    {
        lock (_gate)
        {
            _awaited.Add(stream);
        }
    }

    /// <summary>Whether chunks of <paramref name="stream"/> wait for published results.</summary>
    public bool AwaitsResultsOf(string stream)
    {
        lock (_gate)
        {
            return _awaited.Contains(stream);
        }
    }

    /// <summary>Records a consumed message. <paramref name="stream"/> null (or a stream without awaited results) is released at once unless <paramref name="holdUntilReleased"/>.</summary>
    public Entry Track(TopicPartition partition, long offset, string? stream, double firstTimestamp, double lastTimestamp, long sequence, bool holdUntilReleased = false)
    {
        var entry = new Entry(partition, offset, stream, firstTimestamp, lastTimestamp, sequence);
        lock (_gate)
        {
            if (!_partitions.TryGetValue(partition, out var queue))
            {
                queue = new Queue<Entry>();
                _partitions[partition] = queue;
            }

            if (!holdUntilReleased && (stream is null || !_awaited.Contains(stream)))
            {
                entry.Released = true;
            }

            if (stream is not null)
            {
                _partitionOf[stream] = partition;
            }

            queue.Enqueue(entry);
        }

        return entry;
    }

    /// <summary>Releases an entry tracked with holdUntilReleased (e.g. once its dead letter was delivered).</summary>
    public void Release(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            entry.Released = true;
        }
    }

    /// <summary>A result of <paramref name="stream"/> covering a window starting at <paramref name="windowStart"/> was delivered.</summary>
    public void MarkPublished(string stream, double windowStart)
    {
        Interlocked.Increment(ref _published);
        lock (_gate)
        {
            if (!_publishedStart.TryGetValue(stream, out double previous) || windowStart > previous)
            {
                _publishedStart[stream] = windowStart;
            }
        }
    }

    /// <summary>The wire sequence of the tracked chunk of <paramref name="stream"/> that holds <paramref name="timestamp"/>.</summary>
    public bool TryFindSequence(string stream, double timestamp, out long sequence)
    {
        lock (_gate)
        {
            if (_partitionOf.TryGetValue(stream, out var partition) && _partitions.TryGetValue(partition, out var queue))
            {
                foreach (var entry in queue)
                {
                    if (entry.Stream == stream && entry.FirstTimestamp <= timestamp && timestamp <= entry.LastTimestamp)
                    {
                        sequence = entry.Sequence;
                        return true;
                    }
                }
            }
        }

        sequence = 0;
        return false;
    }

    /// <summary>
    /// The offsets to commit now: for every partition (of <paramref name="assigned"/>, when given) whose first still
    /// needed offset moved since the last call. Released entries are dropped.
    /// </summary>
    public List<TopicPartitionOffset> TakeCommits(IReadOnlyCollection<TopicPartition>? assigned = null)
    {
        var commits = new List<TopicPartitionOffset>();
        lock (_gate)
        {
            foreach (var pair in _partitions)
            {
                if (assigned is not null && !Contains(assigned, pair.Key))
                {
                    continue;
                }

                var queue = pair.Value;
                long next = -1;
                while (queue.Count > 0 && IsReleasable(queue.Peek()))
                {
                    next = queue.Dequeue().Offset + 1;
                }

                if (_retry.Remove(pair.Key, out long again) && again > next)
                {
                    next = again;
                }

                if (next >= 0 && (!_committed.TryGetValue(pair.Key, out long done) || next > done))
                {
                    _committed[pair.Key] = next;
                    commits.Add(new TopicPartitionOffset(pair.Key, new Offset(next)));
                }
            }
        }

        return commits;
    }

    /// <summary>Puts back offsets whose commit failed, so the next <see cref="TakeCommits"/> returns them again.</summary>
    public void Requeue(IEnumerable<TopicPartitionOffset> failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        lock (_gate)
        {
            foreach (var item in failed)
            {
                _committed.Remove(item.TopicPartition);
                if (!_retry.TryGetValue(item.TopicPartition, out long known) || item.Offset.Value > known)
                {
                    _retry[item.TopicPartition] = item.Offset.Value;
                }
            }
        }
    }

    /// <summary>Offsets last returned by <see cref="TakeCommits"/>, by partition.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Committed
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<TopicPartition, long>(_committed);
            }
        }
    }

    /// <summary>Drops what is known of partitions this consumer no longer owns (they resume elsewhere from the committed offset).</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions.Remove(partition);
                _committed.Remove(partition);
                _retry.Remove(partition);
            }
        }
    }

    private bool IsReleasable(Entry entry)
    {
        if (entry.Released)
        {
            return true;
        }

        if (entry.Stream is null || !_awaited.Contains(entry.Stream))
        {
            return false;
        }

        return _publishedStart.TryGetValue(entry.Stream, out double start) && entry.LastTimestamp < start;
    }

    private static bool Contains(IReadOnlyCollection<TopicPartition> set, TopicPartition partition)
    {
        foreach (var item in set)
        {
            if (item.Equals(partition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One consumed message: where it is, which stream and time span it carried, and whether it is released.</summary>
    public sealed class Entry(TopicPartition partition, long offset, string? stream, double firstTimestamp, double lastTimestamp, long sequence)
    {
        public TopicPartition Partition { get; } = partition;

        public long Offset { get; } = offset;

        public string? Stream { get; } = stream;

        public double FirstTimestamp { get; } = firstTimestamp;

        public double LastTimestamp { get; } = lastTimestamp;

        public long Sequence { get; } = sequence;

        internal bool Released { get; set; }
    }
}
