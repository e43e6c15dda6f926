using System.Globalization;
using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// An EDF/EDF+/BDF/BDF+ file as a recording. Ordinary signals with the same rate form one stream (named after the
/// file, plus the rate when there are several), one chunk per data record, in physical units; EDF+ annotations
/// become markers on "&lt;file&gt; annotations"; a BDF "Status" channel becomes trigger markers on
/// "&lt;file&gt; triggers" (a marker whenever its low 16 bits change to a non-zero value; the level at the first
/// sample is taken as the resting level). Times are seconds after the header's start time (see <see cref="EdfReader"/>).
/// </summary>
public sealed class EdfRecording : IRecording
{
    private const int TriggerMask = 0xFFFF;

    private readonly EdfReader _reader;
    private readonly List<(StreamInfo Info, int[] Signals)> _groups = [];
    private readonly int _status = -1;
    private readonly StreamInfo? _annotations;
    private readonly StreamInfo? _triggers;

    public EdfRecording(string path)
    {
        _reader = EdfReader.Open(path);
        string stem = Path.GetFileNameWithoutExtension(path);
        var bySamples = new List<(int Spr, List<int> Signals)>();
        foreach (var signal in _reader.Signals)
        {
            if (signal.IsAnnotation)
            {
                continue;
            }

            if (_reader.IsBdf && _status < 0 && string.Equals(signal.Label, "Status", StringComparison.OrdinalIgnoreCase))
            {
                _status = signal.Index;
                continue;
            }

            int at = bySamples.FindIndex(g => g.Spr == signal.SamplesPerRecord);
            if (at < 0)
            {
                bySamples.Add((signal.SamplesPerRecord, [signal.Index]));
            }
            else
            {
                bySamples[at].Signals.Add(signal.Index);
            }
        }

        var streams = new List<StreamInfo>();
        foreach (var (spr, signals) in bySamples)
        {
            double rate = spr / _reader.RecordDuration;
            string name = bySamples.Count == 1 ? stem : $"{stem} {rate.ToString("G", CultureInfo.InvariantCulture)} Hz";
            var labels = signals.Select(s => _reader.Signals[s].Label).ToArray();
            var units = signals.Select(s => _reader.Signals[s].PhysicalDimension).ToArray();
            var info = new StreamInfo(name, "EEG", path, signals.Count, rate, ChannelFormat.Double64, labels, units);
            _groups.Add((info, [.. signals]));
            streams.Add(info);
        }

        if (_reader.AnnotationSignals > 0)
        {
            _annotations = new StreamInfo(stem + " annotations", "Annotations", path, 1, 0, ChannelFormat.String);
            streams.Add(_annotations);
        }

        if (_status >= 0)
        {
            _triggers = new StreamInfo(stem + " triggers", "Triggers", path, 1, 0, ChannelFormat.String);
            streams.Add(_triggers);
        }

        Streams = streams;
    }

    public EdfReader Reader => _reader;

    public string File => _reader.File;

    public string Format => (_reader.IsBdf ? "BDF" : "EDF") + (_reader.IsPlus ? "+" : string.Empty);

    public IReadOnlyList<StreamInfo> Streams { get; }

    public IReadOnlyList<string> Problems => _reader.Problems;

    public double StartTime => _reader.StartOffset;

    public double EndTime => _reader.StartOffset + (_reader.ReadableRecords * _reader.RecordDuration);

    public IEnumerable<RecordingItem> Read(double from, double to, Action<string, string>? onProblem = null)
    {
        int first = double.IsNegativeInfinity(from) ? 0 : _reader.RecordAt(from);
        int previousTrigger = int.MinValue;
        foreach (var record in _reader.ReadRecords(first))
        {
            if (record.Onset > to)
            {
                yield break;
            }

            if (_annotations is not null)
            {
                foreach (var annotation in record.Annotations)
                {
                    if (annotation.Onset >= from && annotation.Onset <= to)
                    {
                        yield return new RecordingItem(null, new MarkerEvent(_annotations.Name, annotation.Onset, annotation.Text, null, MonotonicClock.Now));
                    }
                }
            }

            foreach (var (info, signals) in _groups)
            {
                if (Slice(record, info, signals, from, to) is { } chunk)
                {
                    yield return new RecordingItem(chunk, null);
                }
            }

            if (_triggers is not null)
            {
                var status = record.Digital(_status);
                double period = _reader.RecordDuration / status.Length;
                var markers = new List<MarkerEvent>();
                for (int i = 0; i < status.Length; i++)
                {
                    int value = status[i] & TriggerMask;
                    if (previousTrigger == int.MinValue)
                    {
                        previousTrigger = value;
                    }

                    double t = record.Onset + (i * period);
                    if (value != previousTrigger && value != 0 && t >= from && t <= to)
                    {
                        markers.Add(new MarkerEvent(_triggers.Name, t, value.ToString(CultureInfo.InvariantCulture), value, MonotonicClock.Now));
                    }

                    previousTrigger = value;
                }

                foreach (var marker in markers)
                {
                    yield return new RecordingItem(null, marker);
                }
            }
        }
    }

    public void Dispose() => _reader.Dispose();

    private SampleChunk? Slice(EdfRecord record, StreamInfo info, int[] signals, double from, double to)
    {
        int n = _reader.Signals[signals[0]].SamplesPerRecord;
        double period = _reader.RecordDuration / n;
        int lo = 0;
        while (lo < n && record.Onset + (lo * period) < from)
        {
            lo++;
        }

        int hi = lo;
        while (hi < n && record.Onset + (hi * period) <= to)
        {
            hi++;
        }

        if (hi <= lo)
        {
            return null;
        }

        int channels = signals.Length;
        var chunk = SampleChunk.Rent(info, hi - lo, MonotonicClock.Now);
        var stamps = chunk.Timestamps;
        var values = chunk.Values;
        for (int i = lo; i < hi; i++)
        {
            stamps[i - lo] = record.Onset + (i * period);
        }

        for (int c = 0; c < channels; c++)
        {
            var physical = record.Physical(signals[c]);
            for (int i = lo; i < hi; i++)
            {
                values[((i - lo) * channels) + c] = physical[i];
            }
        }

        return chunk;
    }
}
