using CausalStream.Engine.Statistics;
using System.Runtime.CompilerServices;

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
/// <para>Internally the regressors are ordered channel-major, [1, channel 0 lags 1..p, channel 1 lags 1..p, …], so each
/// source's block J is contiguous. A solve is one blocked Cholesky of Z'Z (<see cref="BlockedKernels.CholeskyUpper"/>),
/// X = L⁻¹ (<see cref="BlockedKernels.LowerInverse"/>), the C equations as two matrix products W = X·Z'Y and
/// B = Xᵀ·W, and the p×p blocks Σ⁻¹_JJ = Σ_k X[k, J]ᵀX[k, J]: about (1 + C·p)³/3 + (1 + C·p)²·C multiply-adds, run
/// through register-tiled fused multiply-add kernels. Results are reported in the lag-major order of
/// <see cref="GrangerResult"/>.</para>
/// <para>Work buffers are allocated once per (C, p); a solve allocates nothing when the caller passes a result to
/// overwrite. One instance is not thread-safe.</para>
/// </remarks>
public sealed class VarGrangerSolver
{
    private const int MaxRidgeAttempts = 6;

    private readonly int _c;
    private readonly int _p;
    private readonly int _k;
    private readonly int _ld;      // row stride of the K×K work matrices: ≥ K + 7 and a multiple of 8
    private readonly int _ldw;     // row stride of the K×C right-hand sides: C rounded up to 8
    private readonly int _ldb;     // row stride of the p-row blocks: p rounded up to 8
    private readonly double[] _l;  // Z'Z in channel-major regressor order, factored in place (lower triangle)
    private readonly double[] _x;  // L⁻¹ (lower triangle; the upper triangle and padding stay zero)
    private readonly double[] _panel;
    private readonly double[] _diag;
    private readonly double[] _rhs;  // Z'Y, K × C
    private readonly double[] _w;    // L⁻¹ Z'Y
    private readonly double[] _b;    // (Z'Z)⁻¹ Z'Y: coefficients, regressor × target
    private readonly double[] _invDiag;
    private readonly double[] _g;
    private readonly double[] _sigma2;
    private readonly double[] _rssAcc;
    private readonly double[] _wald;
    private readonly bool[] _degenerate;
    private readonly double[] _blockFull;
    private readonly double[] _blocks;   // C blocks of p×p: Σ⁻¹_JJ of every source
    private readonly double[] _block;
    private readonly double[] _yy;       // diagonal of Y'Y
    private readonly double[] _beta;
    private readonly double[] _pScratch;
    private readonly double[] _qScratch;
    private readonly double[] _sortScratch;
    private readonly int[] _indexScratch;

    /// <summary>Preallocates the work buffers for <paramref name="channels"/> channels and VAR order <paramref name="lags"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public VarGrangerSolver(int channels, int lags)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lags, 1);
        _c = channels;
        _p = lags;
        _k = 1 + channels * lags;
        _ld = BlockedKernels.RoundUp8(_k + 7);
        _ldw = BlockedKernels.RoundUp8(channels);
        _ldb = BlockedKernels.RoundUp8(lags);
        _l = new double[_k * _ld];
        _x = new double[_k * _ld];
        _panel = new double[BlockedKernels.BlockSize * _ld];
        _diag = new double[_k];
        _rhs = new double[_k * _ldw];
        _w = new double[_k * _ldw];
        _b = new double[_k * _ldw];
        _invDiag = new double[_k];
        _g = new double[_k];
        _sigma2 = new double[channels];
        _rssAcc = new double[_ldw];
        _wald = new double[_ldw];
        _degenerate = new bool[channels];
        _blockFull = new double[lags * _ldb];
        _blocks = new double[channels * lags * lags];
        _yy = new double[channels];
        _block = new double[lags * lags];
        _beta = new double[lags * _ldw];
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

        SelectTargets(options.TargetChannels, result);

        int c = _c;
        int k = _k;
        double nobs = stats.EffectiveRows;
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

        if (!Factor(stats, options, out double ridge))
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

        BlockedKernels.LowerInverse(_l, k, _ld, _x, _panel);
        InverseBlocks();
        FitEquations(stats.Center, dfResid, result);
        TestPairs(result);
        AdjustAndDecide(options, result);
    }

    /// <summary>Marks the tested targets in the result; every target when <paramref name="targets"/> is null.</summary>
    /// <exception cref="ArgumentException">A target lies outside 0..C−1 or repeats.</exception>
    private void SelectTargets(IReadOnlyList<int>? targets, GrangerResult result)
    {
        var mask = result.TargetArray;
        if (targets is null)
        {
            Array.Fill(mask, true);
            result.TargetCount = _c;
            return;
        }
        if (targets.Count == 0)
        {
            throw new ArgumentException("TargetChannels is empty; give at least one target channel or null for all.", nameof(targets));
        }
        Array.Clear(mask);
        for (int n = 0; n < targets.Count; n++)
        {
            int t = targets[n];
            if ((uint)t >= (uint)_c)
            {
                throw new ArgumentException($"TargetChannels[{n}] = {t} lies outside the channels 0..{_c - 1}.", nameof(targets));
            }
            if (mask[t])
            {
                throw new ArgumentException($"TargetChannels[{n}] = {t} repeats an earlier target.", nameof(targets));
            }
            mask[t] = true;
        }
        result.TargetCount = targets.Count;
    }

    /// <summary>
    /// Writes Z'Z (channel-major order, upper triangle), Z'Y and the Y'Y diagonal from the statistics and factors Z'Z,
    /// rebuilding it with a growing ridge on the lag regressors' diagonal when a pivot fails.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Factor(LaggedCovariance stats, GrangerOptions options, out double ridge)
    {
        int k = _k;
        int ld = _ld;
        ridge = 0.0;
        double meanDiag = double.NaN;
        for (int attempt = 0; attempt <= MaxRidgeAttempts; attempt++)
        {
            stats.BuildRegressionSystem(_p, _l, ld, _rhs, _ldw, _yy);
            if (attempt == 0)
            {
                meanDiag = 0.0;
                for (int r = 1; r < k; r++)
                {
                    meanDiag += _l[r * ld + r];
                }
                meanDiag /= k - 1;
                if (!(meanDiag > 0.0) || !double.IsFinite(meanDiag))
                {
                    meanDiag = 1.0;
                }
            }
            else
            {
                ridge = options.RidgeFactor * meanDiag * Math.Pow(100.0, attempt - 1);
                for (int r = 1; r < k; r++)
                {
                    _l[r * ld + r] += ridge;
                }
            }
            if (BlockedKernels.CholeskyUpper(_l, k, ld, options.SingularityTolerance, _diag) < 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Σ⁻¹_JJ = Σ_k X[k, J]ᵀ X[k, J] (X = L⁻¹) for every source's contiguous lag block J, and the diagonal of
    /// (Z'Z)⁻¹ for the lag regressors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InverseBlocks()
    {
        int k = _k;
        int p = _p;
        int ld = _ld;
        for (int j = 0; j < _c; j++)
        {
            int s = 1 + j * p;
            Array.Clear(_blockFull);
            var xs = _x.AsSpan(s * ld + s);
            BlockedKernels.MultiplyAdd(_blockFull, _ldb, xs, 1, ld, xs, ld, p, _ldb, k - s, 1.0, TileShape.AUpper);
            var dst = _blocks.AsSpan(j * p * p, p * p);
            for (int a = 0; a < p; a++)
            {
                for (int bb = 0; bb <= a; bb++)
                {
                    dst[a * p + bb] = _blockFull[a * _ldb + bb];
                }
                _invDiag[s + a] = _blockFull[a * _ldb + a];
            }
        }
    }

    /// <summary>Coefficients, RSS and t statistics of every equation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FitEquations(ReadOnlySpan<double> center, double dfResid, GrangerResult result)
    {
        int c = _c;
        int p = _p;
        int k = _k;
        int ld = _ld;
        int ldw = _ldw;
        var coef = result.CoefficientArray;
        var tval = result.TArray;

        // Intercept variance factor in original units: gᵀ(Z'Z)⁻¹g = |L⁻¹g|² with g = [1, −μ of each lag regressor].
        _g[0] = 1.0;
        for (int r = 1; r < k; r++)
        {
            _g[r] = -center[(r - 1) / p];
        }
        double interceptFactor = 0.0;
        for (int r = 0; r < k; r++)
        {
            double v = DenseKernels.Dot(_x.AsSpan(r * ld, r + 1), _g.AsSpan(0, r + 1));
            interceptFactor += v * v;
        }

        // W = L⁻¹ Z'Y and B = L⁻ᵀ W = Xᵀ W for all C equations at once (Z'Y was written by Factor).
        Array.Clear(_w);
        BlockedKernels.MultiplyAdd(_w, ldw, _x, ld, 1, _rhs, ldw, k, ldw, k, 1.0, TileShape.ALower);
        Array.Clear(_b);
        BlockedKernels.MultiplyAdd(_b, ldw, _x, 1, ld, _w, ldw, k, ldw, k, 1.0, TileShape.AUpper);

        var wss = _rssAcc.AsSpan(0, c);
        wss.Clear();
        for (int r = 0; r < k; r++)
        {
            var w = _w.AsSpan(r * ldw, c);
            for (int i = 0; i < c; i++)
            {
                wss[i] += w[i] * w[i];
            }
        }

        // Intercepts in original units, all targets at once: b₀ + μ_i − Σ_r b_r·μ(channel of r).
        var intercept = _wald.AsSpan(0, c);
        _b.AsSpan(0, c).CopyTo(intercept);
        for (int j = 0; j < c; j++)
        {
            double mu = center[j];
            for (int lag = 0; lag < p; lag++)
            {
                DenseKernels.Axpy(-mu, _b.AsSpan((1 + j * p + lag) * ldw, c), intercept);
            }
        }

        for (int i = 0; i < c; i++)
        {
            double yy = _yy[i];
            double rss = yy - wss[i];
            bool degenerate = !(rss > 1e-13 * yy) || !(yy > 0.0) || !double.IsFinite(rss);
            if (degenerate)
            {
                rss = Math.Max(0.0, double.IsFinite(rss) ? rss : 0.0);
                result.Flags |= GrangerFlags.DegenerateTarget;
            }
            _degenerate[i] = degenerate;
            result.RssArray[i] = rss;
            double sigma2 = rss / dfResid;
            _sigma2[i] = sigma2;
            double b0 = intercept[i] + center[i];
            coef[i] = b0;
            tval[i] = degenerate ? 0.0 : b0 / Math.Sqrt(sigma2 * interceptFactor);
        }

        // Lag coefficients and t statistics, one regressor row (all targets) at a time, in the result's lag-major order.
        for (int j = 0; j < c; j++)
        {
            for (int lag = 0; lag < p; lag++)
            {
                int r = 1 + j * p + lag;
                int outRow = 1 + lag * c + j;
                var bRow = _b.AsSpan(r * ldw, c);
                bRow.CopyTo(coef.AsSpan(outRow * c, c));
                var tRow = tval.AsSpan(outRow * c, c);
                double inv = _invDiag[r];
                for (int i = 0; i < c; i++)
                {
                    tRow[i] = _degenerate[i] ? 0.0 : bRow[i] / Math.Sqrt(_sigma2[i] * inv);
                }
            }
        }
    }

    /// <summary>Wald/F statistic, p-value and magnitude of every ordered pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TestPairs(GrangerResult result)
    {
        int c = _c;
        int p = _p;
        int ldw = _ldw;
        double df1 = p;
        var tail = new FDistributionTail(df1, result.Df2);
        var block = _block.AsSpan();
        var wald = _wald.AsSpan(0, c);
        for (int j = 0; j < c; j++)
        {
            // βᵀ(Σ⁻¹_JJ)⁻¹β for every target at once: with Σ⁻¹_JJ = MMᵀ, solve M Y = B[J, :] row by row and sum Y².
            _blocks.AsSpan(j * p * p, p * p).CopyTo(block);
            bool blockOk = DenseKernels.CholeskyInPlace(block, p, 0.0) < 0;
            if (blockOk)
            {
                int s = 1 + j * p;
                wald.Clear();
                for (int a = 0; a < p; a++)
                {
                    var y = _beta.AsSpan(a * ldw, c);
                    _b.AsSpan((s + a) * ldw, c).CopyTo(y);
                    for (int bb = 0; bb < a; bb++)
                    {
                        DenseKernels.Axpy(-block[a * p + bb], _beta.AsSpan(bb * ldw, c), y);
                    }
                    double inv = 1.0 / block[a * p + a];
                    for (int i = 0; i < c; i++)
                    {
                        double v = y[i] * inv;
                        y[i] = v;
                        wald[i] += v * v;
                    }
                }
            }
            for (int i = 0; i < c; i++)
            {
                int pair = i * c + j;
                if (i == j || !blockOk || _degenerate[i] || !result.TargetArray[i])
                {
                    SetNeutralPair(result, pair);
                    continue;
                }
                double q = wald[i];
                double rss = result.RssArray[i];
                double f = q / _sigma2[i] / df1;
                if (!double.IsFinite(f) || f < 0.0)
                {
                    SetNeutralPair(result, pair);
                    continue;
                }
                result.FArray[pair] = f;
                result.PArray[pair] = tail.Survival(f);
                result.MagnitudeArray[pair] = Math.Log(1.0 + q / rss);
            }
        }
    }

    /// <summary>Applies the multiple-test correction across the C(C−1) off-diagonal pairs and marks significant edges.</summary>
    private void AdjustAndDecide(GrangerOptions options, GrangerResult result)
    {
        int c = _c;
        var tested = result.TargetArray;
        int m = 0;
        for (int i = 0; i < c; i++)
        {
            if (!tested[i])
            {
                continue;
            }
            for (int j = 0; j < c; j++)
            {
                if (i != j)
                {
                    _pScratch[m++] = result.PArray[i * c + j];
                }
            }
        }
        MultipleTesting.Adjust(
            options.Correction, _pScratch.AsSpan(0, m), _qScratch.AsSpan(0, m), _sortScratch.AsSpan(0, m), _indexScratch.AsSpan(0, m));
        m = 0;
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                int pair = i * c + j;
                if (i == j || !tested[i])
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
}
