using BenchmarkDotNet.Attributes;
using CausalStream.Engine.Discovery;

namespace CausalStream.Bench;

/// <summary>
/// Batch PCMCI (tigramite's <c>run_pcmci</c> with ParCorr: tau_min 0, pc_alpha 0.05, alpha_level 0.01) on N channels,
/// T samples and lags up to τmax, end to end: the lagged covariance of the series, PC1 for every target, MCI for every
/// link. The global setup prints the number of tests run, which scales the naive per-test baseline.
/// </summary>
[MemoryDiagnoser]
public class PcmciBenchmarks
{
    private double[] _data = [];
    private PcmciOptions _options = null!;

    /// <summary>Channels N.</summary>
    [Params(10, 20, 50)]
    public int Channels { get; set; }

    /// <summary>Largest lag τmax.</summary>
    [Params(5, 10)]
    public int TauMax { get; set; }

    /// <summary>Samples T.</summary>
    [Params(1000, 10000)]
    public int Samples { get; set; }

    /// <summary>Generates the series and reports the test count of one run.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = DiscoveryBenchData.Generate(Channels, Samples, seed: 7);
        _options = new PcmciOptions { TauMin = 0, TauMax = TauMax, PcAlpha = 0.05, AlphaLevel = 0.01 };
        var pcmci = new Pcmci(_data, Channels, TauMax);
        var result = pcmci.Run(_options);
        int links = 0;
        foreach (string g in result.Graph)
        {
            links += g.Length > 0 ? 1 : 0;
        }
        Console.WriteLine($"// PCMCI N={Channels} tauMax={TauMax} T={Samples}: {pcmci.Test.TestsRun} tests, {links} graph entries");
    }

    /// <summary>Covariance, PC1 and MCI.</summary>
    [Benchmark]
    public PcmciResult Pcmci() => new Pcmci(_data, Channels, TauMax).Run(_options);
}
