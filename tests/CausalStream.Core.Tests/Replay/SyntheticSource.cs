using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Replay;

/// <summary>A deterministic "live" source: an 8-channel 250 Hz stream of random doubles and a marker every 10 chunks.</summary>
internal sealed class SyntheticSource : ISampleSource
{
    public static readonly StreamInfo Data = new("EEG", "EEG", "synthetic", 8, 250, ChannelFormat.Float32);
    public static readonly StreamInfo Events = new("Events", "Markers", "synthetic", 1, 0, ChannelFormat.String);

    private readonly int _chunks;

    public SyntheticSource(int chunks = 80)
    {
        _chunks = chunks;
    }

    public string Name => "synthetic";

    public IReadOnlyList<StreamInfo> Streams { get; } = [Data, Events];

    public async Task RunAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        var random = new Random(11);
        for (int k = 0; k < _chunks; k++)
        {
            var chunk = SampleChunk.Rent(Data, 25, MonotonicClock.Now);
            for (int i = 0; i < 25; i++)
            {
                chunk.Timestamps[i] = 1000 + (((k * 25) + i) / 250.0);
                for (int c = 0; c < 8; c++)
                {
                    chunk.Values[(i * 8) + c] = random.NextDouble() - 0.5 + (c * 0.1);
                }
            }

            await output.WriteAsync(chunk, cancellationToken);
            if (k % 10 == 9)
            {
                await output.WriteAsync(new MarkerEvent(Events.Name, 1000 + (k * 0.1), "event " + k, null, MonotonicClock.Now), cancellationToken);
            }
        }
    }
}
