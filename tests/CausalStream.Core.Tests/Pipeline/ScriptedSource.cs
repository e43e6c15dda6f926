using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Pipeline;

/// <summary>A source that plays a fixed script of chunks and markers, optionally waiting for cancellation at the end.</summary>
internal sealed class ScriptedSource : ISampleSource
{
    private readonly List<Func<SampleChunk?>> _chunks = [];
    private readonly List<MarkerEvent> _markers = [];

    public ScriptedSource(params StreamInfo[] streams)
    {
        Streams = streams;
    }

    public string Name => "scripted";

    public IReadOnlyList<StreamInfo> Streams { get; }

    public bool WaitForCancellation { get; init; }

    public int Written { get; private set; }

    /// <summary>Adds a chunk of <paramref name="samples"/> samples whose values are produced by <paramref name="value"/>(sample, channel).</summary>
    public ScriptedSource Add(StreamInfo stream, double firstTime, int samples, Func<long, int, double> value, int? channels = null, double? period = null)
    {
        _chunks.Add(() =>
        {
            int c = channels ?? stream.ChannelCount;
            var chunk = SampleChunk.Rent(stream, samples, c, MonotonicClock.Now);
            double dt = period ?? stream.SamplePeriod;
            for (int i = 0; i < samples; i++)
            {
                chunk.Timestamps[i] = firstTime + (i * dt);
                for (int ch = 0; ch < c; ch++)
                {
                    chunk.Values[(i * c) + ch] = value(i, ch);
                }
            }

            return chunk;
        });
        return this;
    }

    public ScriptedSource AddMarker(MarkerEvent marker)
    {
        _markers.Add(marker);
        return this;
    }

    public async Task RunAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        foreach (var make in _chunks)
        {
            var chunk = make();
            if (chunk is not null)
            {
                await output.WriteAsync(chunk, cancellationToken);
                Written++;
            }
        }

        foreach (var marker in _markers)
        {
            await output.WriteAsync(marker, cancellationToken);
        }

        if (WaitForCancellation)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
