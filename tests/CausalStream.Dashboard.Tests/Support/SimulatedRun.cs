using CausalStream.Core.Pipeline;
using CausalStream.Core.Simulation;
using CausalStream.Core.Stimulation;
using CausalStream.Engine.Graphs;

namespace CausalStream.Dashboard.Tests.Support;

/// <summary>
/// A live pipeline like the embedded default, but with short windows: the paced 8-channel simulator at 500 Hz,
/// the Granger stage (2 s window, 0.25 s hop, VAR(3)), a band-power stimulation rule closing the loop, and the
/// dashboard as its sink on an ephemeral loopback port.
/// </summary>
internal sealed class SimulatedRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly StimulationWatchdog _watchdog;
    private readonly Task _run;

    private SimulatedRun(DashboardSink sink, StimulationController controller, StimulationWatchdog watchdog, Task run, CancellationTokenSource stop)
    {
        _stop = stop;
        Sink = sink;
        Controller = controller;
        _watchdog = watchdog;
        _run = run;
    }

    public DashboardSink Sink { get; }

    public StimulationController Controller { get; }

    public static async Task<SimulatedRun> StartAsync(string? token, bool armed = true)
    {
        var simulator = new VarSimulator(new SimulatorOptions { Channels = 8, SampleRate = 500, MaxLag = 3, Seed = 1, ChunkSize = 10, Paced = true });
        var safety = new StimulationSafety
        {
            Armed = armed,
            MaxPulsesPerSecond = 2,
            MaxPulsesPerMinute = 60,
            RefractorySeconds = 0.25,
            MaxAmplitude = 5,
            MaxDurationSeconds = 0.01,
            MaxDosePerMinute = 2,
            StaleDataSeconds = 2,
        };
        var log = new DecisionPublishingStage();
        var controller = new StimulationController(safety, [simulator], log, seed: 1);
        var rule = new FeatureRule
        {
            Name = "ch1-theta-high",
            Channel = 0,
            Feature = FeatureKind.BandPower,
            BandLowHz = 4,
            BandHighHz = 8,
            SmoothingSeconds = 0.1,
            Threshold = 4000,
            Trigger = TriggerMode.Crossing,
            Amplitude = 3,
            DurationSeconds = 0.004,
            Probability = 0.5,
        };
        var granger = new GrangerStage(simulator.DataStream, new GrangerStageOptions { WindowSamples = 1000, HopSamples = 125, MaxLag = 3, SkipWhenBusy = true });
        var sink = new DashboardSink(new DashboardOptions { Url = "http://127.0.0.1:0", Token = token }, new ControllerControl(controller));
        await sink.StartAsync();
        var pipeline = new StreamPipeline(
            [simulator],
            [new FeatureTriggerStage(simulator.DataStream, [rule], controller), granger, log],
            [new SinkBinding(sink, 64, EdgePolicy.DropOldest)],
            new PipelineOptions(1024, EdgePolicy.DropOldest, StatusIntervalSeconds: 0.5));
        var watchdog = new StimulationWatchdog(controller);
        var stop = new CancellationTokenSource();
        return new SimulatedRun(sink, controller, watchdog, Task.Run(() => pipeline.RunAsync(stop.Token)), stop);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(20));
        await _watchdog.DisposeAsync();
        await Sink.DisposeAsync();
        _stop.Dispose();
    }
}
