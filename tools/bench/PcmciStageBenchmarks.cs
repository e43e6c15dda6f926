using BenchmarkDotNet.Attributes;
using CausalStream.Core.Streams;
using CausalStream.Engine.Discovery;
using CausalStream.Engine.Statistics;

namespace CausalStream.Bench;

/// <summary>
/// One hop of the live discovery stage for 20 channels, τmax = 5 and a 2000-sample window: the snapshot of the
/// windowed lagged statistics turned into the lagged covariance, then PCMCI (or PCMCI+) and the graph record. The
/// per-sample ingest cost is that of the windowed statistics (see the Granger benchmarks). For comparison in the same
/// run, <see cref="BatchPcmciOnWindow"/> rebuilds the covariance from the window's raw samples first.
/// </summary>
[MemoryDiagnoser]
public class PcmciStageBenchmarks
{
    private const int Channels = 20;
    private const int TauMax = 5;
    private const int Window = 2000;

    private double[] _data = [];
    private LaggedCovariance _window = null!;
    private PcmciStage _pcmci = null!;
    private PcmciStage _pcmciPlus = null!;

    /// <summary>Fills the windowed statistics with one window of data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = DiscoveryBenchData.Generate(Channels, Window, seed: 11);
        var stream = new StreamInfo("bench", "EEG", "bench", Channels, 250, ChannelFormat.Double64);
        _window = new LaggedCovariance(Channels, 2 * TauMax, Window - (2 * TauMax));
        for (int t = 0; t < Window; t++)
        {
            _window.Push(_data.AsSpan(t * Channels, Channels));
        }
        _pcmci = new PcmciStage(stream, new PcmciStageOptions { WindowSamples = Window, HopSamples = 250, TauMax = TauMax, PcAlpha = 0.05, AlphaLevel = 0.01 });
        _pcmciPlus = new PcmciStage(stream, new PcmciStageOptions { Method = LiveDiscoveryMethod.PcmciPlus, WindowSamples = Window, HopSamples = 250, TauMax = TauMax, PcAlpha = 0.01 });
    }

    /// <summary>Live PCMCI hop: covariance from the windowed statistics, PC1, MCI, graph.</summary>
    [Benchmark(Baseline = true)]
    public CausalGraph? StagePcmciHop() => _pcmci.Solve(_window, 0, 8, Window, 1);

    /// <summary>Live PCMCI+ hop on the same window.</summary>
    [Benchmark]
    public CausalGraph? StagePcmciPlusHop() => _pcmciPlus.Solve(_window, 0, 8, Window, 1);

    /// <summary>Batch PCMCI on the window's raw samples (covariance rebuilt from the data).</summary>
    [Benchmark]
    public PcmciResult BatchPcmciOnWindow() => new Pcmci(_data, Channels, TauMax).Run(new PcmciOptions { TauMin = 0, TauMax = TauMax, PcAlpha = 0.05, AlphaLevel = 0.01 });
}
