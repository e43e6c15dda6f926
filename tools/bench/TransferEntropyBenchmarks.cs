using BenchmarkDotNet.Attributes;
using CausalStream.Engine.TransferEntropy;

namespace CausalStream.Bench;

/// <summary>
/// Transfer entropy for one channel pair on a 2000-sample window (history 1, delay 1): the Gaussian closed form, the
/// KSG estimate alone (k = 4), and KSG with the 20 block-shifted surrogates the live stage uses by default.
/// </summary>
[MemoryDiagnoser]
public class TransferEntropyBenchmarks
{
    private const int Window = 2000;
    private double[] _data = [];
    private readonly TransferEntropyOptions _noSurrogates = new() { Surrogates = 0 };
    private readonly TransferEntropyOptions _surrogates = new() { Surrogates = 20 };

    /// <summary>Generates a coupled window.</summary>
    [GlobalSetup]
    public void Setup() => _data = DiscoveryBenchData.Generate(4, Window, seed: 5);

    /// <summary>Gaussian TE with its F-test.</summary>
    [Benchmark(Baseline = true)]
    public TransferEntropyResult Gaussian() => TransferEntropyEstimator.Gaussian(_data, 4, 1, 0, _noSurrogates);

    /// <summary>KSG TE without a test.</summary>
    [Benchmark]
    public TransferEntropyResult Ksg() => TransferEntropyEstimator.Ksg(_data, 4, 1, 0, _noSurrogates);

    /// <summary>KSG TE with 20 surrogates.</summary>
    [Benchmark]
    public TransferEntropyResult KsgWith20Surrogates() => TransferEntropyEstimator.Ksg(_data, 4, 1, 0, _surrogates);
}
