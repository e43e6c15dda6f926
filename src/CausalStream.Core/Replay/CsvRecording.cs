using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// A CSV sample table (read by <see cref="CsvSampleReader"/>) as a recording of one stream named after the file,
/// in chunks of <see cref="ChunkSize"/> rows; the reader's row problems are the recording's problems.
/// </summary>
public sealed class CsvRecording : IRecording
{
    private readonly CsvSamples _samples;

    public CsvRecording(string path, int chunkSize = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        _samples = CsvSampleReader.Read(path);
        ChunkSize = chunkSize;
        Stream = new StreamInfo(Path.GetFileNameWithoutExtension(path), "CSV", path, _samples.ChannelCount, _samples.EstimatedRate(), ChannelFormat.Double64, _samples.Channels);
        Streams = [Stream];
    }

    public int ChunkSize { get; }

    public StreamInfo Stream { get; }

    public string File => _samples.File;

    public string Format => "CSV";

    public IReadOnlyList<StreamInfo> Streams { get; }

    public IReadOnlyList<string> Problems => _samples.Problems;

    public double StartTime => _samples.Timestamps[0];

    public double EndTime => _samples.Timestamps[^1];

    public IEnumerable<RecordingItem> Read(double from, double to, Action<string, string>? onProblem = null)
    {
        var times = _samples.Timestamps;
        int channels = _samples.ChannelCount;
        int start = 0;
        while (start < times.Length && times[start] < from)
        {
            start++;
        }

        int end = start;
        while (end < times.Length && times[end] <= to)
        {
            end++;
        }

        for (int first = start; first < end; first += ChunkSize)
        {
            int n = Math.Min(ChunkSize, end - first);
            var chunk = SampleChunk.Rent(Stream, n, MonotonicClock.Now);
            times.AsSpan(first, n).CopyTo(chunk.Timestamps);
            _samples.Values.AsSpan(first * channels, n * channels).CopyTo(chunk.Values);
            yield return new RecordingItem(chunk, null);
        }
    }

    public void Dispose()
    {
    }
}
