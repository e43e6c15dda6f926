using BenchmarkDotNet.Attributes;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Bench;

/// <summary>
/// Granger engine costs on a 2000-row hard window: one sample pushed into the lagged statistics (Push, per sample)
/// and one all-pairs solve (Solve, per hop), for 64 channels × 10 lags and 256 channels × 5 lags.
/// </summary>
[MemoryDiagnoser]
public class GrangerBenchmarks
{
    private const int WindowRows = 2000;
    private const int PushesPerInvoke = 1000;
    private const int DataSamples = 8192;

    private LaggedCovariance _stats = null!;
    private VarGrangerSolver _solver = null!;
    private GrangerResult _result = null!;
    private double[] _data = [];
    private int _next;

    /// <summary>Channel count; the lag order is 10 for 64 channels and 5 for 256.</summary>
    [Params(64, 256)]
    public int Channels { get; set; }

    /// <summary>VAR order used with <see cref="Channels"/>.</summary>
    public int Lags => Channels <= 64 ? 10 : 5;

    /// <summary>Fills a full window with AR(1) noise that has a few cross-channel couplings.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = GrangerBenchData.Generate(Channels, DataSamples, seed: 42);
        _stats = new LaggedCovariance(Channels, Lags, WindowRows);
        _solver = new VarGrangerSolver(Channels, Lags);
        _result = new GrangerResult(Channels, Lags);
        for (_next = 0; _next < WindowRows + Lags; _next++)
        {
            _stats.Push(_data.AsSpan(_next * Channels, Channels));
        }
    }

    /// <summary>Per-sample update: add the entering row, remove the leaving one.</summary>
    [Benchmark(OperationsPerInvoke = PushesPerInvoke)]
    public void Push()
    {
        int c = Channels;
        for (int k = 0; k < PushesPerInvoke; k++)
        {
            _stats.Push(_data.AsSpan(_next * c, c));
            _next = _next + 1 == DataSamples ? 0 : _next + 1;
        }
    }

    /// <summary>Per-hop solve: Gram assembly, one Cholesky, inverse blocks, all C(C−1) F tests and BH.</summary>
    [Benchmark]
    public GrangerResult Solve()
    {
        _solver.Solve(_stats, GrangerOptions.Default, _result);
        return _result;
    }
}
