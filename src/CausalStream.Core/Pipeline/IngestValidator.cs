using CausalStream.Core.Streams;
using CausalStream.Core.Windows;

namespace CausalStream.Core.Pipeline;

/// <summary>
/// Checks each chunk against its declared stream before any stage sees it: an unknown stream or a channel
/// count that does not match is refused whole; non-finite values and timestamp gaps or reversals are counted
/// and logged, and the chunk goes on (analyses leave non-finite rows out).
/// </summary>
internal sealed class IngestValidator
{
    private readonly IReadOnlyDictionary<string, StreamInfo> _streams;
    private readonly IReadOnlyDictionary<string, StreamHealth> _health;
    private readonly PipelineEventLog _events;
    private readonly Dictionary<string, GapDetector> _detectors = new(StringComparer.Ordinal);

    public IngestValidator(IReadOnlyDictionary<string, StreamInfo> streams, IReadOnlyDictionary<string, StreamHealth> health, PipelineEventLog events)
    {
        _streams = streams;
        _health = health;
        _events = events;
        foreach (var stream in streams.Values)
        {
            _detectors[stream.Name] = new GapDetector(stream);
        }
    }

    public bool Accept(SampleChunk chunk)
    {
        string name = chunk.Stream.Name;
        if (!_streams.TryGetValue(name, out var stream) || !_health.TryGetValue(name, out var health))
        {
            _events.Report(PipelineEventKind.UnknownStream, name, $"chunk of {chunk.SampleCount} samples names stream '{name}', which no source declared; dropped");
            return false;
        }

        if (chunk.ChannelCount != stream.ChannelCount)
        {
            health.AddRejected();
            string at = chunk.SampleCount > 0 ? $" starting at t={chunk.Timestamps[0]:F6}" : string.Empty;
            _events.Report(PipelineEventKind.ChannelCountMismatch, name, $"stream '{name}': chunk{at} has {chunk.ChannelCount} channels, the stream declares {stream.ChannelCount}; chunk of {chunk.SampleCount} samples dropped");
            return false;
        }

        health.AddChunk(chunk.SampleCount, chunk.ArrivalTicks);
        CheckValues(chunk, stream, health);
        CheckTimestamps(chunk, stream, health);
        return true;
    }

    private void CheckValues(SampleChunk chunk, StreamInfo stream, StreamHealth health)
    {
        var values = chunk.Values;
        int firstBad = -1;
        long bad = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                bad++;
                if (firstBad < 0)
                {
                    firstBad = i;
                }
            }
        }

        if (bad > 0)
        {
            health.AddNonFinite(bad);
            int sample = firstBad / stream.ChannelCount;
            int channel = firstBad % stream.ChannelCount;
            _events.Report(PipelineEventKind.NonFiniteValues, stream.Name, $"stream '{stream.Name}': {bad} non-finite values in a chunk, first {values[firstBad]} at t={chunk.Timestamps[sample]:F6} channel '{stream.ChannelLabels[channel]}'; rows using them are left out of analyses");
        }
    }

    private void CheckTimestamps(SampleChunk chunk, StreamInfo stream, StreamHealth health)
    {
        var detector = _detectors[stream.Name];
        long gaps = detector.GapCount;
        long backwards = detector.BackwardsCount;
        if (detector.Check(chunk.Timestamps, out var first) == 0)
        {
            return;
        }

        health.AddGaps(detector.GapCount - gaps);
        health.AddBackwards(detector.BackwardsCount - backwards);
        string name = stream.Name;
        switch (first.Kind)
        {
            case TimestampCheckKind.Backwards:
                _events.Report(PipelineEventKind.TimestampBackwards, name, $"stream '{name}': timestamp went backwards from {first.Previous:F6} to {first.Timestamp:F6} s ({first.Jump * 1000:F3} ms)");
                break;
            case TimestampCheckKind.Gap:
                _events.Report(PipelineEventKind.TimestampGap, name, $"stream '{name}': gap of {first.Jump * 1000:F3} ms between {first.Previous:F6} and {first.Timestamp:F6} s (expected {first.ExpectedPeriod * 1000:F3} ms)");
                break;
            default:
                _events.Report(PipelineEventKind.TimestampBackwards, name, $"stream '{name}': non-finite timestamp {first.Timestamp} after {first.Previous:F6} s");
                break;
        }
    }
}
