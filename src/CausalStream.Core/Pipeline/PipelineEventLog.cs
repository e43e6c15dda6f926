namespace CausalStream.Core.Pipeline;

/// <summary>
/// Counts every pipeline event per (stream, kind) and forwards a rate-limited selection to the host's log:
/// the first few of each kind per stream within an interval, then a summary of how many were suppressed,
/// so a stream that is bad at every sample cannot flood the log.
/// </summary>
public sealed class PipelineEventLog
{
    private readonly IPipelineEventSink? _sink;
    private readonly int _burst;
    private readonly long _intervalTicks;
    private readonly Dictionary<(string Stream, PipelineEventKind Kind), Entry> _entries = new();

    public PipelineEventLog(IPipelineEventSink? sink, int burst = 5, double intervalSeconds = 10)
    {
        _sink = sink;
        _burst = burst;
        _intervalTicks = Streams.MonotonicClock.FromSeconds(intervalSeconds);
    }

    public long Count(string stream, PipelineEventKind kind)
    {
        lock (_entries)
        {
            return _entries.TryGetValue((stream, kind), out var entry) ? entry.Total : 0;
        }
    }

    public long Total(PipelineEventKind kind)
    {
        long total = 0;
        lock (_entries)
        {
            foreach (var pair in _entries)
            {
                if (pair.Key.Kind == kind)
                {
                    total += pair.Value.Total;
                }
            }
        }

        return total;
    }

    public void Report(PipelineEventKind kind, string stream, string message, bool isWarning = true)
    {
        long now = Streams.MonotonicClock.Now;
        PipelineEvent? forward = null;
        PipelineEvent? summary = null;
        lock (_entries)
        {
            if (!_entries.TryGetValue((stream, kind), out var entry))
            {
                entry = new Entry { IntervalStart = now };
                _entries[(stream, kind)] = entry;
            }

            entry.Total++;
            if (now - entry.IntervalStart > _intervalTicks)
            {
                if (entry.Suppressed > 0)
                {
                    summary = new PipelineEvent(kind, stream, $"{entry.Suppressed} more '{kind}' events on stream '{stream}' were counted but not logged (total {entry.Total - 1})", isWarning);
                }

                entry.IntervalStart = now;
                entry.InInterval = 0;
                entry.Suppressed = 0;
            }

            if (entry.InInterval < _burst)
            {
                entry.InInterval++;
                forward = new PipelineEvent(kind, stream, message, isWarning);
            }
            else
            {
                entry.Suppressed++;
            }
        }

        if (_sink is not null)
        {
            if (summary is not null)
            {
                _sink.Emit(summary);
            }

            if (forward is not null)
            {
                _sink.Emit(forward);
            }
        }
    }

    private sealed class Entry
    {
        public long Total;
        public long IntervalStart;
        public int InInterval;
        public long Suppressed;
    }
}
