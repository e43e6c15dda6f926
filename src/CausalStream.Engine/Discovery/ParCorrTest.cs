using MathNet.Numerics;

namespace CausalStream.Engine.Discovery;

/// <summary>
/// Partial-correlation test of X^i_{t−τ} ⊥ X^j_t | Z on a time series (tigramite's ParCorr with analytic
/// significance): the value is the partial correlation r, and the p-value is two-sided Student-t of
/// r·√(dof/(1−r²)) with dof = T_eff − 2 − |Z|, where T_eff is the number of rows of the lagged covariance.
/// </summary>
public sealed class ParCorrTest
{
    private readonly double[] _scratch;
    private int[] _index;

    /// <summary>Creates a test over a prepared lagged covariance.</summary>
    public ParCorrTest(LaggedVariableCovariance covariance)
    {
        Covariance = covariance;
        _scratch = new double[(covariance.Dimension + 2) * (covariance.Dimension + 2)];
        _index = new int[covariance.Dimension];
    }

    /// <summary>
    /// Builds the covariance for a tigramite-style run with maximum lag <paramref name="tauMax"/>: lags up to
    /// 2·τmax (MCI shifts the source's parents by τ) over the rows t = 2·τmax … T−1, which every test then uses.
    /// </summary>
    public static ParCorrTest ForSeries(ReadOnlySpan<double> rowMajor, int channels, int tauMax) =>
        new(LaggedVariableCovariance.FromSeries(rowMajor, channels, 2 * tauMax, 2 * tauMax));

    /// <summary>The lagged covariance the tests read.</summary>
    public LaggedVariableCovariance Covariance { get; }

    /// <summary>Rows every test uses (T_eff).</summary>
    public int Rows => Covariance.Rows;

    /// <summary>Tests run through this instance.</summary>
    public long TestsRun { get; private set; }

    /// <summary>
    /// Tests that were degenerate (collinear conditions, or X or Y without variance given Z; see
    /// <see cref="LaggedVariableCovariance.PartialCorrelation(int, int, ReadOnlySpan{int}, Span{double}, out bool)"/>)
    /// or had fewer than one degree of freedom (p-value NaN).
    /// </summary>
    public long DegenerateTests { get; private set; }

    /// <summary>Tests X ⊥ Y | Z. Z must not contain X or Y.</summary>
    public CiTestResult Test(LaggedVariable x, LaggedVariable y, IReadOnlyList<LaggedVariable> z)
    {
        if (_index.Length < z.Count)
        {
            _index = new int[z.Count];
        }
        for (int k = 0; k < z.Count; k++)
        {
            _index[k] = Covariance.IndexOf(z[k]);
        }
        return TestIndices(Covariance.IndexOf(x), Covariance.IndexOf(y), _index.AsSpan(0, z.Count));
    }

    /// <summary>Tests X ⊥ Y | Z given covariance indices (<see cref="LaggedVariableCovariance.IndexOf"/>); allocation-free.</summary>
    public CiTestResult TestIndices(int x, int y, ReadOnlySpan<int> z)
    {
        int k = z.Length + 2;
        var scratch = _scratch.Length >= k * k ? _scratch : new double[k * k];
        double r = Covariance.PartialCorrelation(x, y, z, scratch, out bool degenerate);
        int dof = Rows - 2 - z.Length;
        TestsRun++;
        if (degenerate || dof < 1)
        {
            DegenerateTests++;
        }
        return new CiTestResult(r, PValue(r, dof));
    }

    /// <summary>
    /// tigramite's model-selection score of <paramref name="target"/> (at lag 0) on <paramref name="parents"/>:
    /// AIC = T_eff·ln(RSS) + 2·(|parents| + 1), with RSS the residual sum of squares of the standardised target.
    /// </summary>
    public double AicScore(int target, IReadOnlyList<LaggedVariable> parents)
    {
        if (_index.Length < parents.Count)
        {
            _index = new int[parents.Count];
        }
        for (int k = 0; k < parents.Count; k++)
        {
            _index[k] = Covariance.IndexOf(parents[k]);
        }
        double ratio = Covariance.ResidualVarianceRatio(Covariance.IndexOf(new LaggedVariable(target, 0)), _index.AsSpan(0, parents.Count), _scratch);
        return (Rows * Math.Log(Rows * ratio)) + (2.0 * (parents.Count + 1));
    }

    /// <summary>
    /// Two-sided Student-t p-value of a correlation r on <paramref name="dof"/> degrees of freedom:
    /// P(|T| ≥ |r|·√(dof/(1−r²))) = I_{1−r²}(dof/2, 1/2), the regularised incomplete beta function.
    /// </summary>
    public static double PValue(double r, int dof)
    {
        if (dof < 1)
        {
            return double.NaN;
        }
        double x = 1.0 - (r * r);
        if (x <= 0)
        {
            return 0.0;
        }
        if (x >= 1)
        {
            return 1.0;
        }
        return Math.Clamp(SpecialFunctions.BetaRegularized(dof / 2.0, 0.5, x), 0.0, 1.0);
    }
}
