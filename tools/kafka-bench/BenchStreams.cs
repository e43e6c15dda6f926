using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Streams;

namespace CausalStream.KafkaBench;

/// <summary>
/// Benchmark streams: recordings of one sparse random VAR network from the built-in simulator (two cross edges per
/// channel on average, so graphs look like a real analysis: a few hundred significant links among thousands tested),
/// with independent noise per stream, generated in full before any timing so publishing costs only the copy into chunks.
/// </summary>
internal sealed class BenchStreams
{
    private readonly double[][] _samples;
    private readonly int _channels;

    public BenchStreams(int streams, int channels, double rate, int chunkSamples, int chunksPerStream, int seed = 1)
    {
        ChunkSamples = chunkSamples;
        Rate = rate;
        ChunksPerStream = chunksPerStream;
        _channels = channels;
        Streams = new StreamInfo[streams];
        _samples = new double[streams][];
        int samples = chunksPerStream * chunkSamples;
        var options = new SimulatorOptions { Channels = channels, SampleRate = rate, MaxLag = 3, CrossEdges = 2 * channels, Seed = seed };
        var network = VarNetwork.CreateRandom(options);
        for (int s = 0; s < streams; s++)
        {
            Streams[s] = new StreamInfo("s" + s.ToString(CultureInfo.InvariantCulture), "EEG", "bench", channels, rate, ChannelFormat.Float32);
            var generator = new VarGenerator(options with { Seed = seed + s }, network);
            _samples[s] = new double[samples * channels];
            generator.Generate(_samples[s], samples);
        }
    }

    public StreamInfo[] Streams { get; }

    public int ChunkSamples { get; }

    public double Rate { get; }

    public int ChunksPerStream { get; }

    /// <summary>Chunk <paramref name="k"/> of stream <paramref name="s"/>; the caller hands it on (ownership passes).</summary>
    public SampleChunk Chunk(int s, long k)
    {
        var chunk = SampleChunk.Rent(Streams[s], ChunkSamples, MonotonicClock.Now);
        var stamps = chunk.Timestamps;
        for (int i = 0; i < ChunkSamples; i++)
        {
            stamps[i] = ((k * ChunkSamples) + i) / Rate;
        }

        int length = ChunkSamples * _channels;
        _samples[s].AsSpan((int)(k * length), length).CopyTo(chunk.Values);
        return chunk;
    }

    /// <summary>Writes chunks 0..chunksPerStream-1 of every stream, interleaved.</summary>
    public Task WriteAllAsync(ISourceOutput output, int chunksPerStream) => WriteRangeAsync(output, 0, chunksPerStream);

    /// <summary>Writes chunks from..to-1 of every stream, interleaved.</summary>
    public async Task WriteRangeAsync(ISourceOutput output, int from, int to)
    {
        for (long k = from; k < to; k++)
        {
            for (int s = 0; s < Streams.Length; s++)
            {
                await output.WriteAsync(Chunk(s, k), CancellationToken.None);
            }
        }
    }
}
