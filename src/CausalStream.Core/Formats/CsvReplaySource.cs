using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Formats;

/// <summary>
/// Replays a CSV sample table (see <see cref="CsvSampleReader"/>) as one stream, as fast as the pipeline
/// accepts, in chunks of a fixed size with the file's own timestamps. Rows the reader had to skip or repair
/// are reported as source errors naming the file and line.
/// </summary>
public sealed class CsvReplaySource : ISampleSource
{
    private readonly CsvSamples _samples;
    private readonly int _chunkSize;

    public CsvReplaySource(CsvSamples samples, string streamName, int chunkSize = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        _samples = samples;
        _chunkSize = chunkSize;
        Stream = new StreamInfo(streamName, "CSV", samples.File, samples.ChannelCount, samples.EstimatedRate(), ChannelFormat.Double64, samples.Channels);
        Streams = [Stream];
    }

    public string Name => "csv:" + _samples.File;

    public StreamInfo Stream { get; }

    public IReadOnlyList<StreamInfo> Streams { get; }

    public async Task RunAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        foreach (var problem in _samples.Problems)
        {
            output.ReportError(Stream.Name, problem);
        }

        int channels = _samples.ChannelCount;
        for (int start = 0; start < _samples.Rows; start += _chunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(_chunkSize, _samples.Rows - start);
            var chunk = SampleChunk.Rent(Stream, n, MonotonicClock.Now);
            _samples.Timestamps.AsSpan(start, n).CopyTo(chunk.Timestamps);
            _samples.Values.AsSpan(start * channels, n * channels).CopyTo(chunk.Values);
            await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }
}
