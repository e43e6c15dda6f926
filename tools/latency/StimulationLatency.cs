using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CausalStream.Cli.Stimulation;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Dashboard;
using CausalStream.Engine.Graphs;

namespace CausalStream.Latency;

/// <summary>
/// Trigger-path latency harness (<c>stim</c> command): a paced simulator (default 64 ch × 1 kHz, one sample per
/// chunk) feeds a fast-path rule that asks for a pulse on every chunk, while the Granger engine solves every
/// 100 ms on the same stream. Each pulse goes through the real controller (interlocks wide open) to a UDP
/// socket on loopback; the latency is from the arrival of the chunk to the return of the UDP send.
/// With <c>--dashboard</c> the run also publishes every graph, status and decision to the web dashboard (on an
/// ephemeral loopback port); <c>--stalled-client</c> adds one browser connection that asks for the live feed and
/// never reads a byte, so the two runs compare the trigger path with and without a dead client.
/// </summary>
public static class StimulationLatency
{
    /// <summary>Runs the harness; returns 0, or 2 on a usage error.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = 20;
        int channels = 64;
        double rate = 1000;
        int chunk = 1;
        bool granger = true;
        bool withDashboard = false;
        bool stalledClient = false;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--no-granger")
            {
                granger = false;
                continue;
            }

            if (name == "--dashboard")
            {
                withDashboard = true;
                continue;
            }

            if (name == "--stalled-client")
            {
                withDashboard = true;
                stalledClient = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"missing value for {name}");
                return 2;
            }

            string value = args[++i];
            switch (name)
            {
                case "--seconds": seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--channels": channels = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--rate": rate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--chunk": chunk = int.Parse(value, CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown option {name}; usage: stim [--seconds 20] [--channels 64] [--rate 1000] [--chunk 1] [--no-granger] [--dashboard] [--stalled-client]");
                    return 2;
            }
        }

        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = (IPEndPoint)receiver.Client.LocalEndPoint!;
        using var cancel = new CancellationTokenSource();
        long received = 0;
        var drain = Task.Run(async () =>
        {
            try
            {
                while (!cancel.IsCancellationRequested)
                {
                    await receiver.ReceiveAsync(cancel.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref received);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var simulator = new VarSimulator(new SimulatorOptions
        {
            Channels = channels, SampleRate = rate, MaxLag = 2, Seed = 7, Paced = true, ChunkSize = chunk,
            MaxSamples = (long)(seconds * rate), StimulationQueueCapacity = 4096,
        });
        using var udp = new UdpStimulationOutput(endpoint);
        var latencies = new LatencyAudit();
        var safety = new StimulationSafety
        {
            Armed = true, MaxPulsesPerSecond = 100_000, MaxPulsesPerMinute = 100_000, RefractorySeconds = 0,
            MaxAmplitude = 1, MaxDurationSeconds = 0.01, MaxDosePerMinute = 1e9, StaleDataSeconds = 1,
        };
        var decisions = new DecisionPublishingStage();
        var controller = new StimulationController(safety, [udp], withDashboard ? new CompositeStimulationAudit([latencies, decisions]) : latencies);
        var rule = new FeatureRule { Name = "every-chunk", Channel = 0, Feature = FeatureKind.Value, Threshold = double.NegativeInfinity, Trigger = TriggerMode.Level, Amplitude = 1e-9, DurationSeconds = 0.001 };
        var stages = new List<IIngestStage> { new FeatureTriggerStage(simulator.DataStream, [rule], controller) };
        GrangerStage? engine = null;
        if (granger)
        {
            engine = new GrangerStage(simulator.DataStream, new GrangerStageOptions { WindowSamples = 2000, HopSamples = (int)(rate / 10), MaxLag = 10, SkipWhenBusy = true });
            stages.Add(engine);
        }

        var sinks = new List<SinkBinding>();
        await using var dashboard = new DashboardSink(new DashboardOptions { Url = "http://127.0.0.1:0", CapacityPerClient = 64 });
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        if (withDashboard)
        {
            stages.Add(decisions);
            var address = await dashboard.StartAsync().ConfigureAwait(false);
            if (stalledClient)
            {
                await stalled.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port)).ConfigureAwait(false);
                await stalled.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{address.Port}\r\n\r\n")).ConfigureAwait(false);
            }

            sinks.Add(new SinkBinding(dashboard, 256, EdgePolicy.DropOldest));
        }

        var pipeline = new StreamPipeline([simulator], stages, sinks, new PipelineOptions(4096, EdgePolicy.DropOldest, withDashboard ? 0.5 : 0));
        await pipeline.RunAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.Delay(200).ConfigureAwait(false);
        await cancel.CancelAsync().ConfigureAwait(false);
        await drain.ConfigureAwait(false);

        var h = latencies.Histogram;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trigger path, {channels} ch at {rate} Hz, {chunk} sample(s) per chunk, {seconds} s, Granger {(granger ? "solving every 100 ms (window 2000, p = 10)" : "off")}{(withDashboard ? $", dashboard{(stalledClient ? " with one stalled client" : " without clients")} ({dashboard.Published} events published, {dashboard.DroppedTotal} dropped for slow clients)" : string.Empty)}"));
        Console.WriteLine();
        Console.WriteLine("| pulses | received on UDP | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | max at pulse | later than 1 ms | graphs | hops skipped |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {h.Count} | {Interlocked.Read(ref received)} | {h.PercentileSeconds(0.5) * 1e3:F3} | {h.PercentileSeconds(0.99) * 1e3:F3} | {h.PercentileSeconds(0.999) * 1e3:F3} | {h.MaxSeconds * 1e3:F3} | {latencies.SlowestPulse} | {100.0 * latencies.Late / Math.Max(1, h.Count):F3} % | {engine?.GraphsPublished ?? 0} | {engine?.HopsSkipped ?? 0} |"));
        return 0;
    }

    /// <summary>Records the latency of every delivered pulse; counts those over 1 ms.</summary>
    private sealed class LatencyAudit : IStimulationAudit
    {
        public LatencyHistogram Histogram { get; } = new();

        public long Late;

        /// <summary>Number (from 1) of the fired pulse with the largest latency: a small number means start-up (JIT, first allocations).</summary>
        public long SlowestPulse;

        private long _fired;
        private double _slowest;

        public void Record(StimulationDecision decision)
        {
            if (decision.Outcome != StimulationOutcome.Fired)
            {
                return;
            }

            double latency = decision.LatencySeconds;
            Histogram.RecordSeconds(latency);
            long number = Interlocked.Increment(ref _fired);
            if (latency > _slowest)
            {
                _slowest = latency;
                SlowestPulse = number;
            }

            if (latency > 0.001)
            {
                Interlocked.Increment(ref Late);
            }
        }

        public void RecordState(bool armed, string reason, DateTime wallClock)
        {
        }
    }
}
