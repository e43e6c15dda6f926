using System.Diagnostics;
using System.Globalization;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;

namespace CausalStream.Latency;

/// <summary>
/// CPU-share harness for the live Granger pipeline. The <c>cpu</c> command runs a paced <see cref="VarSimulator"/> through a
/// <see cref="StreamPipeline"/> twice in one process: first with no stage (the generator and pipeline alone, the baseline),
/// then with a <see cref="GrangerStage"/>, each for the given number of seconds. For each run it reports process CPU time
/// (<see cref="Process.TotalProcessorTime"/>) divided by wall time, so the engine's share of one core is the difference.
/// </summary>
/// <remarks>
/// Usage: <c>cpu [--seconds 30] [--channels 64] [--lag 10] [--rate 1000] [--window 2000] [--hop 100] [--chunk 10]</c>;
/// <c>stim ...</c> runs the trigger-path latency harness (<see cref="StimulationLatency"/>).
/// Shares are of one core (100 % = one core busy all the time); other processes on the machine do not count, but
/// this process's runtime threads (JIT, GC) do, in both runs alike.
/// </remarks>
public static class Program
{
    /// <summary>Entry point; returns 0 on success, 2 on a usage error.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "stim")
        {
            return await StimulationLatency.RunAsync(args[1..]);
        }

        if (args.Length == 0 || args[0] != "cpu")
        {
            Console.Error.WriteLine("usage: cpu [--seconds 30] [--channels 64] [--lag 10] [--rate 1000] [--window 2000] [--hop 100] [--chunk 10]");
            Console.Error.WriteLine("       stim [--seconds 20] [--channels 64] [--rate 1000] [--chunk 1] [--no-granger]");
            return 2;
        }
        var settings = new Settings();
        for (int i = 1; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"missing value for {args[i]}");
                return 2;
            }
            string value = args[++i];
            switch (args[i - 1])
            {
                case "--seconds": settings.Seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--channels": settings.Channels = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--lag": settings.Lag = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--rate": settings.Rate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--window": settings.Window = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--hop": settings.Hop = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--chunk": settings.Chunk = int.Parse(value, CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i - 1]}");
                    return 2;
            }
        }

        Console.WriteLine($"CPU share, {settings.Channels} channels at {settings.Rate} Hz, window {settings.Window}, hop {settings.Hop}, lag {settings.Lag}, {settings.Seconds} s per run, {Environment.ProcessorCount} logical cores");
        var baseline = await RunAsync(settings, withGranger: false);
        var full = await RunAsync(settings, withGranger: true);

        Console.WriteLine();
        Console.WriteLine("| run | wall (s) | CPU (s) | CPU share of one core | samples | graphs published | hops skipped |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Print("generator + pipeline (baseline)", baseline);
        Print("with Granger stage", full);
        Console.WriteLine($"| **Granger engine (difference)** | | {full.CpuSeconds - baseline.CpuSeconds:F2} | **{(full.Share - baseline.Share) * 100:F1} %** | | | |");
        return 0;
    }

    private static void Print(string name, RunResult r) =>
        Console.WriteLine($"| {name} | {r.WallSeconds:F1} | {r.CpuSeconds:F2} | {r.Share * 100:F1} % | {r.Samples} | {r.Graphs} | {r.Skipped} |");

    /// <summary>One paced run; a short warm-up (JIT, first window) is excluded from the measured interval.</summary>
    private static async Task<RunResult> RunAsync(Settings s, bool withGranger)
    {
        var simulator = new VarSimulator(new SimulatorOptions
        {
            Channels = s.Channels,
            SampleRate = s.Rate,
            MaxLag = 2,
            ChunkSize = s.Chunk,
            Paced = true,
            Seed = 7,
        });
        GrangerStage? stage = null;
        var stages = new List<IIngestStage>();
        if (withGranger)
        {
            stage = new GrangerStage(simulator.DataStream, new GrangerStageOptions
            {
                WindowSamples = s.Window,
                HopSamples = s.Hop,
                MaxLag = s.Lag,
                SkipWhenBusy = true,
            });
            stages.Add(stage);
        }
        var sink = new CountingSink();
        var pipeline = new StreamPipeline([simulator], stages, [new SinkBinding(sink)]);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);

        // Warm up until the first window is full (plus a second), then measure.
        double warmup = s.Window / s.Rate + 1.0;
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        long samples0 = simulator.SamplesEmitted;
        long graphs0 = stage?.GraphsPublished ?? 0;
        long skipped0 = stage?.HopsSkipped ?? 0;
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(s.Seconds));
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        double wallSeconds = wall.Elapsed.TotalSeconds;
        var result = new RunResult(
            wallSeconds,
            (cpu1 - cpu0).TotalSeconds,
            simulator.SamplesEmitted - samples0,
            (stage?.GraphsPublished ?? 0) - graphs0,
            (stage?.HopsSkipped ?? 0) - skipped0);
        await stop.CancelAsync();
        await run;
        return result;
    }

    private sealed class Settings
    {
        public double Seconds { get; set; } = 30;
        public int Channels { get; set; } = 64;
        public int Lag { get; set; } = 10;
        public double Rate { get; set; } = 1000;
        public int Window { get; set; } = 2000;
        public int Hop { get; set; } = 100;
        public int Chunk { get; set; } = 10;
    }

    private sealed record RunResult(double WallSeconds, double CpuSeconds, long Samples, long Graphs, long Skipped)
    {
        public double Share => CpuSeconds / WallSeconds;
    }

    /// <summary>Counts results and drops them.</summary>
    private sealed class CountingSink : IResultSink
    {
        private long _count;

        public string Name => "count";

        public long Count => Interlocked.Read(ref _count);

        public ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
