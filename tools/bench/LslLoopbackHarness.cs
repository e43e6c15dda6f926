using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Time;

namespace CausalStream.Bench;

/// <summary>
/// LSL loopback harness (127.0.0.1 only): our outlet → our inlet. <see cref="Latency"/> streams 64 channels of
/// float32 at 1 kHz, one sample per push, and measures each sample's latency from push to the moment the inlet hands
/// it out (same clock on both ends), reporting p50/p99/p99.9/max. <see cref="Throughput"/> pushes int16 chunks of
/// 1 ms as fast as the pair sustains and reports received channel-samples per second. Each runs once (cold start);
/// the figures are printed as lines starting with <c>LSL-BENCH</c> (BenchmarkDotNet's own time is the run time).
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class LslLoopbackHarness
{
    private static readonly LslApiConfig Config = LslApiConfig.Loopback;

    /// <summary>Seconds of streaming per run.</summary>
    [Params(10)]
    public int Seconds { get; set; }

    [Benchmark]
    public void Latency() => RunLatencyAsync(64, 1000, Seconds).GetAwaiter().GetResult();

    [Benchmark]
    public void Throughput() => RunThroughputAsync(2500, 30000, Seconds).GetAwaiter().GetResult();

    /// <summary>Per-sample latency at <paramref name="rate"/> Hz, one sample per push; prints percentiles in microseconds.</summary>
    public static async Task RunLatencyAsync(int channels, double rate, int seconds)
    {
        var info = new LslStreamInfo { Name = "bench-latency", Type = "EEG", ChannelCount = channels, Format = ChannelFormat.Float32, NominalSrate = rate };
        await using var outlet = new LslOutlet(info, new LslOutletOptions { Config = Config, EnableDiscoveryResponder = false });
        await using var inlet = new LslInlet(outlet.Info with { V4Address = "127.0.0.1" }, new LslInletOptions { Config = Config });
        await inlet.OpenAsync();
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5));
        int total = (int)(rate * seconds);
        var latencies = new double[total];
        int received = 0;
        var reader = Task.Run(async () =>
        {
            while (received < total)
            {
                using var chunk = await inlet.ReadChunkAsync(256, CancellationToken.None) ?? throw new InvalidOperationException("stream lost");
                double arrival = MonotonicClock.ToSeconds(chunk.ArrivalTicks);
                foreach (double pushedAt in chunk.Timestamps)
                {
                    latencies[received++] = arrival - pushedAt;
                }
            }
        });

        var values = new double[channels];
        long start = Stopwatch.GetTimestamp();
        for (int k = 0; k < total; k++)
        {
            // Sleep rather than spin: on a small machine a spinning pusher steals the core the send and receive
            // tasks need. Sleep(1) wakes after ~1.05 ms, so the achieved rate is printed with the result.
            long due = start + (long)(k / rate * Stopwatch.Frequency);
            if (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(1);
            }

            values[0] = k;
            outlet.PushSample(values, LslClock.Now);
        }

        double achieved = total / Stopwatch.GetElapsedTime(start).TotalSeconds;
        await reader.WaitAsync(TimeSpan.FromSeconds(30));
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(total - 1, (int)(q * total))] * 1e6;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"LSL-BENCH latency {channels} ch float32, one sample per push at {achieved:F0} Hz, {total} samples: p50 {P(0.50):F0} us, p99 {P(0.99):F0} us, p99.9 {P(0.999):F0} us, max {latencies[^1] * 1e6:F0} us"));
    }

    /// <summary>Pushes chunks of 1 ms (rate/1000 samples) of int16 without pacing; prints received channel-samples per second.</summary>
    public static async Task RunThroughputAsync(int channels, double rate, int seconds)
    {
        var info = new LslStreamInfo { Name = "bench-throughput", Type = "EEG", ChannelCount = channels, Format = ChannelFormat.Int16, NominalSrate = rate };
        await using var outlet = new LslOutlet(info, new LslOutletOptions { Config = Config, EnableDiscoveryResponder = false, MaxBufferedSamples = (int)rate });
        await using var inlet = new LslInlet(outlet.Info with { V4Address = "127.0.0.1" }, new LslInletOptions { Config = Config });
        await inlet.OpenAsync();
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5));
        int chunkSamples = (int)(rate / 1000);
        var values = new double[chunkSamples * channels];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i % 2000) - 1000;
        }

        long received = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    using var chunk = await inlet.ReadChunkAsync(4096, stop.Token) ?? throw new InvalidOperationException("stream lost");
                    Interlocked.Add(ref received, chunk.SampleCount);
                }
            }
            catch (OperationCanceledException)
            {
                // End of the run.
            }
        });

        var watch = Stopwatch.StartNew();
        long pushed = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            // Keep at most ~0.5 s of data in flight so the figure is what the inlet sustains, not queue growth.
            if (pushed - Interlocked.Read(ref received) > rate / 2)
            {
                Thread.Yield();
                continue;
            }

            outlet.PushChunk(values, 0);
            pushed += chunkSamples;
        }

        double elapsed = watch.Elapsed.TotalSeconds;
        long got = Interlocked.Read(ref received);
        await stop.CancelAsync();
        await reader;
        double channelSamples = got * (double)channels / elapsed;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"LSL-BENCH throughput {channels} ch int16, {chunkSamples}-sample chunks: {got / elapsed:F0} samples/s = {channelSamples / 1e6:F1} M channel-samples/s (target {channels * rate / 1e6:F1} M = {channels} ch @ {rate} Hz), {outlet.SamplesDropped} dropped"));
    }
}
