using BenchmarkDotNet.Attributes;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;
using MathNet.Numerics.LinearAlgebra;

namespace CausalStream.Bench;

/// <summary>
/// The naive baseline for the 64-channel, 10-lag, 2000-row window: each restricted model (target i without
/// source j's lags) refitted by its own least squares (MathNet Householder QR) from the window's data. The full
/// all-pairs job is 4032 such fits plus 64 full fits; this measures <see cref="PairsPerInvoke"/> restricted fits
/// per invocation and reports the time per fit, to be scaled by 4096. <see cref="EngineSolve"/> is the engine's
/// all-pairs solve on the same window, in the same run.
/// </summary>
[MemoryDiagnoser]
public class GrangerNaiveBaselineBenchmarks
{
    /// <summary>Restricted fits measured per invocation.</summary>
    public const int PairsPerInvoke = 2;

    private const int Channels = 64;
    private const int Lags = 10;
    private const int WindowRows = 2000;

    private double[] _data = [];
    private LaggedCovariance _stats = null!;
    private VarGrangerSolver _solver = null!;
    private GrangerResult _result = null!;

    /// <summary>Generates the window and fills the engine's statistics with it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = GrangerBenchData.Generate(Channels, WindowRows + Lags, seed: 42);
        _stats = LaggedCovariance.FromData(_data, Channels, Lags);
        _solver = new VarGrangerSolver(Channels, Lags);
        _result = new GrangerResult(Channels, Lags);
    }

    /// <summary>One restricted least-squares fit from the data, per operation.</summary>
    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public double NaiveRestrictedFit()
    {
        double sum = 0.0;
        for (int pair = 0; pair < PairsPerInvoke; pair++)
        {
            int target = pair % Channels;
            int source = (pair + 1) % Channels;
            sum += RestrictedRss(target, source);
        }
        return sum;
    }

    /// <summary>The engine's all-pairs solve on the same window.</summary>
    [Benchmark]
    public GrangerResult EngineSolve()
    {
        _solver.Solve(_stats, GrangerOptions.Default, _result);
        return _result;
    }

    private double RestrictedRss(int target, int source)
    {
        int rows = WindowRows;
        int cols = 1 + (Channels - 1) * Lags;
        var z = Matrix<double>.Build.Dense(rows, cols);
        var y = Vector<double>.Build.Dense(rows);
        for (int r = 0; r < rows; r++)
        {
            int t = r + Lags;
            z[r, 0] = 1.0;
            int col = 1;
            for (int k = 1; k <= Lags; k++)
            {
                for (int j = 0; j < Channels; j++)
                {
                    if (j != source)
                    {
                        z[r, col++] = _data[(t - k) * Channels + j];
                    }
                }
            }
            y[r] = _data[t * Channels + target];
        }
        var beta = z.QR().Solve(y);
        var resid = y - z * beta;
        return resid.DotProduct(resid);
    }
}
