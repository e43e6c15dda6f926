using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.KafkaBench;

/// <summary>Synthetic 64-channel 1 kHz streams: a random template chunk per stream turned into an AR(1) walk with a little fresh noise, cheap to generate yet well-conditioned for the engine.</summary>
internal sealed class BenchStreams
{
    public BenchStreams(int streams, int channels, double rate, int chunkSamples, int seed = 1)
    {
        ChunkSamples = chunkSamples;
        Rate = rate;
        Streams = new StreamInfo[streams];
        Templates = new double[streams][];
        var random = new Random(seed);
        _last = new double[streams][];
        _random = new Random[streams];
        for (int s = 0; s < streams; s++)
        {
            _last[s] = new double[channels];
            _random[s] = new Random(seed + s);
            Streams[s] = new StreamInfo("s" + s.ToString(System.Globalization.CultureInfo.InvariantCulture), "EEG", "bench", channels, rate, ChannelFormat.Float32);
            Templates[s] = new double[chunkSamples * channels];
            for (int i = 0; i < Templates[s].Length; i++)
            {
                Templates[s][i] = (float)(random.NextDouble() - 0.5);
            }
        }
    }

    private readonly double[][] _last;
    private readonly Random[] _random;

    public StreamInfo[] Streams { get; }

    public double[][] Templates { get; }

    public int ChunkSamples { get; }

    public double Rate { get; }

    /// <summary>Chunk <paramref name="k"/> of stream <paramref name="s"/>; the caller hands it on (ownership passes).</summary>
    public SampleChunk Chunk(int s, long k)
    {
        var chunk = SampleChunk.Rent(Streams[s], ChunkSamples, MonotonicClock.Now);
        var stamps = chunk.Timestamps;
        for (int i = 0; i < ChunkSamples; i++)
        {
            stamps[i] = ((k * ChunkSamples) + i) / Rate;
        }

        // An AR(1) walk per channel from the template, so windows are well-conditioned like real signals.
        var values = chunk.Values;
        var template = Templates[s];
        int channels = Streams[s].ChannelCount;
        var last = _last[s];
        var random = _random[s];
        for (int i = 0; i < values.Length; i++)
        {
            int c = i % channels;
            last[c] = (0.9 * last[c]) + template[(i + (int)(k % 7)) % template.Length] + (0.1 * (random.NextDouble() - 0.5));
            values[i] = last[c];
        }

        return chunk;
    }

    /// <summary>Writes chunks 0..chunksPerStream-1 of every stream, interleaved.</summary>
    public async Task WriteAllAsync(ISourceOutput output, int chunksPerStream)
    {
        for (long k = 0; k < chunksPerStream; k++)
        {
            for (int s = 0; s < Streams.Length; s++)
            {
                await output.WriteAsync(Chunk(s, k), CancellationToken.None);
            }
        }
    }
}
