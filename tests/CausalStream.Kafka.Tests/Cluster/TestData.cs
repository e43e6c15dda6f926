using System.Globalization;
using System.Text;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Tests.Cluster;

/// <summary>Simulated recordings captured in memory so the same samples can go to Kafka and to a CSV file.</summary>
internal sealed class TestData : ISourceOutput
{
    public const int Window = 200;
    public const int Hop = 50;
    public const int Lag = 2;

    private TestData(StreamInfo stream)
    {
        Stream = stream;
    }

    public StreamInfo Stream { get; }

    public List<(double[] Timestamps, double[] Values)> Chunks { get; } = [];

    public int Samples { get; private set; }

    /// <summary>Runs the simulator unpaced for <paramref name="samples"/> samples and keeps copies of its chunks.</summary>
    public static TestData Simulate(string name, int channels, int samples, int seed)
    {
        var simulator = new VarSimulator(new SimulatorOptions { StreamName = name, Channels = channels, SampleRate = 100, Seed = seed, ChunkSize = 10, Paced = false, MaxSamples = samples, CrossEdges = channels });
        var data = new TestData(simulator.DataStream);
        simulator.RunAsync(data, CancellationToken.None).GetAwaiter().GetResult();
        return data;
    }

    /// <summary>The source times of every window end the Granger stage produces over the whole recording (windows on the hop grid from sample 0).</summary>
    public List<double> WindowEnds()
    {
        var stamps = AllTimestamps();
        var ends = new List<double>();
        for (int end = Window - 1; end < stamps.Count; end += Hop)
        {
            ends.Add(stamps[end]);
        }

        return ends;
    }

    public List<double> AllTimestamps()
    {
        var stamps = new List<double>(Samples);
        foreach (var chunk in Chunks)
        {
            stamps.AddRange(chunk.Timestamps);
        }

        return stamps;
    }

    /// <summary>Replays chunks [from, to) into <paramref name="output"/>.</summary>
    public async Task ReplayAsync(ISourceOutput output, int from = 0, int to = int.MaxValue)
    {
        for (int i = from; i < Math.Min(to, Chunks.Count); i++)
        {
            var (t, v) = Chunks[i];
            var chunk = SampleChunk.Rent(Stream, t.Length, MonotonicClock.Now);
            t.CopyTo(chunk.Timestamps);
            v.CopyTo(chunk.Values);
            await output.WriteAsync(chunk, CancellationToken.None);
        }
    }

    public string WriteCsv(string path)
    {
        var text = new StringBuilder();
        text.Append('t');
        foreach (string label in Stream.ChannelLabels)
        {
            text.Append(',').Append(label);
        }

        text.Append('\n');
        int c = Stream.ChannelCount;
        foreach (var (t, v) in Chunks)
        {
            for (int i = 0; i < t.Length; i++)
            {
                text.Append(t[i].ToString("R", CultureInfo.InvariantCulture));
                for (int ch = 0; ch < c; ch++)
                {
                    text.Append(',').Append(v[(i * c) + ch].ToString("R", CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    public ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Stream.Name == Stream.Name)
        {
            Chunks.Add((chunk.Timestamps.ToArray(), chunk.Values.ToArray()));
            Samples += chunk.SampleCount;
        }

        chunk.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void ReportError(string stream, string message)
    {
    }
}
