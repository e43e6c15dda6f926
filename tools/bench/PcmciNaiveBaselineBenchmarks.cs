using BenchmarkDotNet.Attributes;
using CausalStream.Engine.Discovery;
using MathNet.Numerics.LinearAlgebra;

namespace CausalStream.Bench;

/// <summary>
/// The naive baseline for one ParCorr test as tigramite runs it: build the X, Y, Z columns from the raw series over
/// the T − 2·τmax rows, regress X and Y on Z by least squares (MathNet QR), correlate the residuals. Measured for
/// N = 20, τmax = 5 at T = 1000 and 10000 with |Z| = 10 conditions (a typical MCI set), next to the engine's test of
/// the same hypothesis on the lagged covariance. A naive PCMCI costs about this per-test time times the test count
/// that <see cref="PcmciBenchmarks"/> prints.
/// </summary>
[MemoryDiagnoser]
public class PcmciNaiveBaselineBenchmarks
{
    private const int Channels = 20;
    private const int TauMax = 5;
    private const int Conditions = 10;

    private double[] _data = [];
    private ParCorrTest _test = null!;
    private LaggedVariable[] _z = [];

    /// <summary>Samples T.</summary>
    [Params(1000, 10000)]
    public int Samples { get; set; }

    /// <summary>Generates the series and the engine's covariance.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = DiscoveryBenchData.Generate(Channels, Samples, seed: 7);
        _test = ParCorrTest.ForSeries(_data, Channels, TauMax);
        _z = new LaggedVariable[Conditions];
        for (int k = 0; k < Conditions; k++)
        {
            _z[k] = new LaggedVariable((3 * k) % Channels, 1 + (k % (2 * TauMax)));
        }
    }

    /// <summary>One test from the raw data (regressions on Z, residual correlation).</summary>
    [Benchmark(Baseline = true)]
    public double NaiveTest()
    {
        var x = new LaggedVariable(4, 2);
        var y = new LaggedVariable(7, 0);
        int first = 2 * TauMax;
        int rows = Samples - first;
        var z = Matrix<double>.Build.Dense(rows, Conditions + 1);
        var xv = Vector<double>.Build.Dense(rows);
        var yv = Vector<double>.Build.Dense(rows);
        for (int r = 0; r < rows; r++)
        {
            int t = first + r;
            z[r, 0] = 1.0;
            for (int k = 0; k < Conditions; k++)
            {
                z[r, k + 1] = _data[((t - _z[k].Lag) * Channels) + _z[k].Channel];
            }
            xv[r] = _data[((t - x.Lag) * Channels) + x.Channel];
            yv[r] = _data[((t - y.Lag) * Channels) + y.Channel];
        }
        var qr = z.QR();
        var rx = xv - (z * qr.Solve(xv));
        var ry = yv - (z * qr.Solve(yv));
        return rx.DotProduct(ry) / Math.Sqrt(rx.DotProduct(rx) * ry.DotProduct(ry));
    }

    /// <summary>The same test on the lagged covariance (a (|Z| + 2)-square solve).</summary>
    [Benchmark]
    public double EngineTest() => _test.Test(new LaggedVariable(4, 2), new LaggedVariable(7, 0), _z).Value;
}
