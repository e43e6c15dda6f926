using CausalStream.Engine.Statistics;
using MathNet.Numerics;

namespace CausalStream.Engine.Graphs;

/// <summary>
/// Conditional Granger causality for every ordered channel pair of a VAR(p) with intercept, from one
/// Cholesky factorisation of the lagged Gram matrix held by a <see cref="LaggedCovariance"/>.
/// </summary>
/// <remarks>
/// <para>For target i and source j the restricted model without j's p lag terms has
/// RSS_r = RSS_f + βᵀ(Σ⁻¹_JJ)⁻¹β (β: j's coefficients in i's equation, Σ⁻¹_JJ: that p×p block of (Z'Z)⁻¹), so no pair is refitted.
/// The F statistic is statsmodels' VARResults.test_causality(i, [j], kind='f'): the Wald form
/// βᵀ(Σ⁻¹_JJ)⁻¹β / σ²_ii with σ²_ii = RSS_f,i / (nobs − C·p − 1), divided by p; df = (p, C·(nobs − C·p − 1)),
/// or (p, nobs − C·p − 1) with <see cref="FTestDenominator.SingleEquation"/>.</para>
/// <para>Work buffers are allocated once per (C, p); a solve costs about (1 + C·p)³/3 multiply-adds and allocates
/// nothing when the caller passes a result to overwrite. One instance is not thread-safe.</para>
/// </remarks>
public sealed class VarGrangerSolver
{
    private const int MaxRidgeAttempts = 6;

    private readonly int _c;
    private readonly int _p;
    private readonly int _k;
    private readonly double[] _l;
    private readonly double[] _xt;
    private readonly double[] _w;
    private readonly double[] _b;
    private readonly double[] _invDiag;
    private readonly double[] _g;
    private readonly double[] _sigma2;
    private readonly bool[] _degenerate;
    private readonly double[] _block;
    private readonly double[] _beta;
    private readonly double[] _pScratch;
    private readonly double[] _qScratch;
    private readonly double[] _sortScratch;
    private readonly int[] _indexScratch;
    private double[] _gram = [];

    /// <summary>Preallocates the work buffers for <paramref name="channels"/> channels and VAR order <paramref name="lags"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public VarGrangerSolver(int channels, int lags)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lags, 1);
        _c = channels;
        _p = lags;
        _k = 1 + channels * lags;
        _l = new double[_k * _k];
        _xt = new double[_k * _k];
        _w = new double[channels * _k];
        _b = new double[channels * _k];
        _invDiag = new double[_k];
        _g = new double[_k];
        _sigma2 = new double[channels];
        _degenerate = new bool[channels];
        _block = new double[lags * lags];
        _beta = new double[lags];
        int m = channels * (channels - 1);
        _pScratch = new double[m];
        _qScratch = new double[m];
        _sortScratch = new double[m];
        _indexScratch = new int[m];
    }

    /// <summary>Number of channels C.</summary>
    public int Channels => _c;

    /// <summary>VAR order p.</summary>
    public int Lags => _p;

    /// <summary>
    /// Batch helper: fits VAR(lags) on a whole row-major data matrix (samples × channels), as statsmodels'
    /// VAR(data).fit(lags, trend='c') does, and tests every ordered pair.
    /// </summary>
    public static GrangerResult Fit(ReadOnlySpan<double> rowMajor, int channels, int lags, GrangerOptions? options = null)
    {
        var stats = LaggedCovariance.FromData(rowMajor, channels, lags);
        return new VarGrangerSolver(channels, lags).Solve(stats, options);
    }

    /// <summary>Solves the current window into a new result.</summary>
    public GrangerResult Solve(LaggedCovariance stats, GrangerOptions? options = null)
    {
        var result = new GrangerResult(_c, _p);
        Solve(stats, options ?? GrangerOptions.Default, result);
        return result;
    }

    /// <summary>
    /// Solves the current window into <paramref name="result"/>, overwriting it. Uses the rows of
    /// <paramref name="stats"/> (whose maximum lag may exceed <see cref="Lags"/>: the rows then are those complete
    /// for its maximum lag). Allocation-free after the first call for a given statistics shape.
    /// </summary>
    /// <exception cref="ArgumentException">The statistics or result do not match this solver's channels and lags.</exception>
    public void Solve(LaggedCovariance stats, GrangerOptions options, GrangerResult result)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(result);
        if (stats.Channels != _c || stats.MaxLag < _p)
        {
            throw new ArgumentException(
                $"The statistics have {stats.Channels} channels and maximum lag {stats.MaxLag}; this solver needs {_c} channels and lag at least {_p}.",
                nameof(stats));
        }
        if (result.Channels != _c || result.Lags != _p)
        {
            throw new ArgumentException(
                $"The result is shaped for {result.Channels} channels and {result.Lags} lags; this solver has {_c} and {_p}.",
                nameof(result));
        }

        int gdim = stats.GramDimension;
        if (_gram.Length != gdim * gdim)
        {
            _gram = new double[gdim * gdim];
        }
        stats.BuildGram(_gram);

        int c = _c;
        int k = _k;
        double nobs = _gram[0];
        double dfResid = nobs - k;
        result.RowsUsed = stats.RowsUsed;
        result.RowsSkippedNaN = stats.RowsSkippedNaN;
        result.Observations = nobs;
        result.Alpha = options.Alpha;
        result.Correction = options.Correction;
        result.Denominator = options.Denominator;
        result.Df1 = _p;
        result.ResidualDof = dfResid;
        result.Df2 = options.Denominator == FTestDenominator.SystemWide ? c * dfResid : dfResid;
        result.Ridge = 0.0;
        result.Flags = GrangerFlags.None;

        if (!(dfResid >= 1.0))
        {
            result.Flags = GrangerFlags.InsufficientRows;
            FillNeutral(result, fitted: false);
            return;
        }

        if (!Factor(gdim, options, out double ridge))
        {
            result.Flags = GrangerFlags.RidgeApplied | GrangerFlags.Singular;
            result.Ridge = ridge;
            FillNeutral(result, fitted: false);
            return;
        }
        if (ridge > 0.0)
        {
            result.Flags |= GrangerFlags.RidgeApplied;
            result.Ridge = ridge;
        }

        DenseKernels.LowerInverseTransposed(_l, k, _xt);
        for (int r = 0; r < k; r++)
        {
            var row = _xt.AsSpan(r * k + r, k - r);
            _invDiag[r] = DenseKernels.Dot(row, row);
        }

        FitEquations(gdim, stats.Center, dfResid, result);
        TestPairs(result);
        AdjustAndDecide(options, result);
    }

    /// <summary>Copies Z'Z into the factor buffer and factors it, adding a growing ridge on failure.</summary>
    private bool Factor(int gdim, GrangerOptions options, out double ridge)
    {
        int k = _k;
        ridge = 0.0;
        double meanDiag = 0.0;
        for (int r = 1; r < k; r++)
        {
            meanDiag += _gram[GramIndex(r) * gdim + GramIndex(r)];
        }
        meanDiag /= k - 1;
        if (!(meanDiag > 0.0) || !double.IsFinite(meanDiag))
        {
            meanDiag = 1.0;
        }
        for (int attempt = 0; attempt <= MaxRidgeAttempts; attempt++)
        {
            if (attempt > 0)
            {
                ridge = options.RidgeFactor * meanDiag * Math.Pow(100.0, attempt - 1);
            }
            for (int r = 0; r < k; r++)
            {
                int gr = GramIndex(r) * gdim;
                var dst = _l.AsSpan(r * k, r + 1);
                for (int s = 0; s <= r; s++)
                {
                    dst[s] = _gram[gr + GramIndex(s)];
                }
                if (r > 0)
                {
                    dst[r] += ridge;
                }
            }
            if (DenseKernels.CholeskyInPlace(_l, k, options.SingularityTolerance) < 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Coefficients, RSS and t statistics of every equation.</summary>
    private void FitEquations(int gdim, ReadOnlySpan<double> center, double dfResid, GrangerResult result)
    {
        int c = _c;
        int k = _k;
        var coef = result.CoefficientArray;
        var tval = result.TArray;

        // Intercept variance factor in original units: gᵀ(Z'Z)⁻¹g with g = [1, −μ of each lag regressor].
        _g[0] = 1.0;
        for (int r = 1; r < k; r++)
        {
            _g[r] = -center[(r - 1) % c];
        }
        DenseKernels.ForwardSubstitute(_l, k, k, _g);
        double interceptFactor = DenseKernels.Dot(_g, _g);

        // W = L⁻¹ Z'Y and B = L⁻ᵀ W, four equations at a time sharing each row of L and of L⁻¹.
        for (int i = 0; i < c; i++)
        {
            var w = _w.AsSpan(i * k, k);
            for (int r = 0; r < k; r++)
            {
                w[r] = _gram[GramIndex(r) * gdim + 1 + i];
            }
        }
        int i4 = 0;
        for (; i4 + 4 <= c; i4 += 4)
        {
            var w0 = _w.AsSpan(i4 * k, k);
            var w1 = _w.AsSpan((i4 + 1) * k, k);
            var w2 = _w.AsSpan((i4 + 2) * k, k);
            var w3 = _w.AsSpan((i4 + 3) * k, k);
            for (int r = 0; r < k; r++)
            {
                DenseKernels.Dot4(_l.AsSpan(r * k, r), w0, w1, w2, w3, out double d0, out double d1, out double d2, out double d3);
                double inv = 1.0 / _l[r * k + r];
                w0[r] = (w0[r] - d0) * inv;
                w1[r] = (w1[r] - d1) * inv;
                w2[r] = (w2[r] - d2) * inv;
                w3[r] = (w3[r] - d3) * inv;
            }
            for (int r = 0; r < k; r++)
            {
                DenseKernels.Dot4(_xt.AsSpan(r * k + r, k - r), w0[r..], w1[r..], w2[r..], w3[r..], out double d0, out double d1, out double d2, out double d3);
                _b[i4 * k + r] = d0;
                _b[(i4 + 1) * k + r] = d1;
                _b[(i4 + 2) * k + r] = d2;
                _b[(i4 + 3) * k + r] = d3;
            }
        }
        for (; i4 < c; i4++)
        {
            var w = _w.AsSpan(i4 * k, k);
            DenseKernels.ForwardSubstitute(_l, k, k, w);
            var b = _b.AsSpan(i4 * k, k);
            for (int r = 0; r < k; r++)
            {
                b[r] = DenseKernels.Dot(_xt.AsSpan(r * k + r, k - r), w[r..]);
            }
        }

        for (int i = 0; i < c; i++)
        {
            var w = _w.AsSpan(i * k, k);
            var b = _b.AsSpan(i * k, k);
            double yy = _gram[(1 + i) * gdim + 1 + i];
            double rss = yy - DenseKernels.Dot(w, w);
            bool degenerate = !(rss > 1e-13 * yy) || !(yy > 0.0) || !double.IsFinite(rss);
            if (degenerate)
            {
                rss = Math.Max(0.0, double.IsFinite(rss) ? rss : 0.0);
            }
            _degenerate[i] = degenerate;
            result.RssArray[i] = rss;
            double sigma2 = rss / dfResid;
            _sigma2[i] = sigma2;

            double intercept = b[0] + center[i];
            for (int r = 1; r < k; r++)
            {
                intercept -= b[r] * center[(r - 1) % c];
            }
            coef[i] = intercept;
            tval[i] = degenerate ? 0.0 : intercept / Math.Sqrt(sigma2 * interceptFactor);
            for (int r = 1; r < k; r++)
            {
                coef[r * c + i] = b[r];
                tval[r * c + i] = degenerate ? 0.0 : b[r] / Math.Sqrt(sigma2 * _invDiag[r]);
            }
            if (degenerate)
            {
                result.Flags |= GrangerFlags.DegenerateTarget;
            }
        }
    }

    /// <summary>Wald/F statistic, p-value and magnitude of every ordered pair.</summary>
    private void TestPairs(GrangerResult result)
    {
        int c = _c;
        int p = _p;
        int k = _k;
        double df1 = p;
        double df2 = result.Df2;
        var block = _block.AsSpan();
        var beta = _beta.AsSpan();
        for (int j = 0; j < c; j++)
        {
            // Σ⁻¹_JJ for source j: inverse entries of its lag regressors r = 1 + l·C + j.
            for (int a = 0; a < p; a++)
            {
                int ra = 1 + a * c + j;
                for (int bb = 0; bb <= a; bb++)
                {
                    int rb = 1 + bb * c + j;
                    int from = Math.Max(ra, rb);
                    block[a * p + bb] = DenseKernels.Dot(_xt.AsSpan(ra * k + from, k - from), _xt.AsSpan(rb * k + from, k - from));
                }
            }
            bool blockOk = DenseKernels.CholeskyInPlace(block, p, 0.0) < 0;
            for (int i = 0; i < c; i++)
            {
                int pair = i * c + j;
                if (i == j)
                {
                    SetNeutralPair(result, pair);
                    continue;
                }
                if (!blockOk || _degenerate[i])
                {
                    SetNeutralPair(result, pair);
                    continue;
                }
                var b = _b.AsSpan(i * k, k);
                for (int a = 0; a < p; a++)
                {
                    beta[a] = b[1 + a * c + j];
                }
                DenseKernels.ForwardSubstitute(block, p, p, beta);
                double q = DenseKernels.Dot(beta, beta);
                double rss = result.RssArray[i];
                double f = q / _sigma2[i] / df1;
                if (!double.IsFinite(f) || f < 0.0)
                {
                    SetNeutralPair(result, pair);
                    continue;
                }
                result.FArray[pair] = f;
                result.PArray[pair] = FSurvival(f, df1, df2);
                result.MagnitudeArray[pair] = Math.Log(1.0 + q / rss);
            }
        }
    }

    /// <summary>Applies the multiple-test correction across the C(C−1) off-diagonal pairs and marks significant edges.</summary>
    private void AdjustAndDecide(GrangerOptions options, GrangerResult result)
    {
        int c = _c;
        int m = 0;
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                if (i != j)
                {
                    _pScratch[m++] = result.PArray[i * c + j];
                }
            }
        }
        MultipleTesting.Adjust(options.Correction, _pScratch, _qScratch, _sortScratch, _indexScratch);
        m = 0;
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                int pair = i * c + j;
                if (i == j)
                {
                    result.QArray[pair] = 1.0;
                    result.SignificantArray[pair] = false;
                    continue;
                }
                double q = _qScratch[m++];
                result.QArray[pair] = q;
                result.SignificantArray[pair] = q <= options.Alpha;
            }
        }
    }

    /// <summary>Upper tail of F(df1, df2): I_{df2/(df2+df1·F)}(df2/2, df1/2), accurate for tiny p-values.</summary>
    internal static double FSurvival(double f, double df1, double df2)
    {
        if (!(f > 0.0))
        {
            return 1.0;
        }
        double x = df2 / (df2 + df1 * f);
        double p = SpecialFunctions.BetaRegularized(df2 / 2.0, df1 / 2.0, x);
        return double.IsFinite(p) ? Math.Clamp(p, 0.0, 1.0) : 0.0;
    }

    private void FillNeutral(GrangerResult result, bool fitted)
    {
        if (!fitted)
        {
            Array.Clear(result.CoefficientArray);
            Array.Clear(result.TArray);
            Array.Clear(result.RssArray);
        }
        for (int pair = 0; pair < _c * _c; pair++)
        {
            SetNeutralPair(result, pair);
            result.QArray[pair] = 1.0;
            result.SignificantArray[pair] = false;
        }
    }

    private static void SetNeutralPair(GrangerResult result, int pair)
    {
        result.FArray[pair] = 0.0;
        result.PArray[pair] = 1.0;
        result.MagnitudeArray[pair] = 0.0;
    }

    /// <summary>Maps regressor r (0 = intercept, 1 + (lag−1)·C + ch) to its index in the lag-0-first Gram.</summary>
    private int GramIndex(int r) => r == 0 ? 0 : r + _c;
}
