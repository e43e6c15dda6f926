using System.Globalization;
using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// An XDF file as a recording: numeric streams become sample chunks (one per Samples chunk, values as doubles),
/// string streams become markers (channels joined by tabs; a payload that parses as a number is also its code).
/// Timestamps are those of <see cref="XdfReader"/> (clock offsets applied unless the options say otherwise).
/// </summary>
public sealed class XdfRecording : IRecording
{
    private readonly XdfReader _reader;
    private readonly Dictionary<int, XdfStream> _byId = [];

    public XdfRecording(string path, XdfReaderOptions? options = null)
    {
        _reader = XdfReader.Open(path, options);
        var streams = new List<StreamInfo>();
        foreach (var stream in _reader.Streams)
        {
            streams.Add(stream.Info);
            _byId[stream.Id] = stream;
        }

        Streams = streams;
        EndTime = EstimateEnd();
    }

    public XdfReader Reader => _reader;

    public string File => _reader.File;

    public string Format => "XDF";

    public IReadOnlyList<StreamInfo> Streams { get; }

    public IReadOnlyList<string> Problems => _reader.Problems;

    public double StartTime => _reader.StartTime;

    public double EndTime { get; }

    public IEnumerable<RecordingItem> Read(double from, double to, Action<string, string>? onProblem = null)
    {
        foreach (var block in _reader.ReadSamples(from, to, message => onProblem?.Invoke(string.Empty, message)))
        {
            var info = block.Stream.Info;
            if (block.IsText)
            {
                for (int i = 0; i < block.Count; i++)
                {
                    string payload = info.ChannelCount == 1 ? block.Text(i) : Join(block, i, info.ChannelCount);
                    double? code = double.TryParse(payload, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
                    yield return new RecordingItem(null, new MarkerEvent(info.Name, block.Timestamps[i], payload, code, MonotonicClock.Now));
                }

                continue;
            }

            var chunk = SampleChunk.Rent(info, block.Count, MonotonicClock.Now);
            block.Timestamps.CopyTo(chunk.Timestamps);
            block.Values.CopyTo(chunk.Values);
            yield return new RecordingItem(chunk, null);
        }
    }

    public void Dispose() => _reader.Dispose();

    private static string Join(XdfSampleBlock block, int sample, int channels)
    {
        var parts = new string[channels];
        for (int c = 0; c < channels; c++)
        {
            parts[c] = block.Text(sample, c);
        }

        return string.Join('\t', parts);
    }

    private double EstimateEnd()
    {
        double end = double.NaN;
        var index = _reader.Index;
        for (int i = index.Count - 1; i >= 0 && i >= index.Count - 64; i--)
        {
            var entry = index[i];
            if (!double.IsNaN(entry.FirstTimestamp))
            {
                var stream = _byId[entry.StreamId];
                double period = stream.Info.NominalRate > 0 ? 1 / stream.Info.NominalRate : 0;
                double t = entry.FirstTimestamp + ((entry.SampleCount - 1) * period);
                end = double.IsNaN(end) ? t : Math.Max(end, t);
            }
        }

        foreach (var stream in _reader.Streams)
        {
            if (stream.FooterLastTimestamp is double last && stream.SampleCount > 0)
            {
                end = double.IsNaN(end) ? last : Math.Max(end, last);
            }
        }

        return end;
    }
}
