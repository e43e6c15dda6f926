namespace CausalStream.Engine.Discovery;

/// <summary>
/// The covariance matrix of the stacked lagged vector [X_t, X_{t−1}, …, X_{t−L}] of a C-channel series, computed
/// once over the rows t = firstRow … T−1 (every row must have firstRow ≥ L). Variable (channel c, lag ℓ) has
/// index ℓ·C + c. Conditional-independence tests then work on small submatrices, at a cost independent of T.
/// With L = 0 and firstRow = 0 this is the ordinary covariance of i.i.d. data.
/// </summary>
public sealed class LaggedVariableCovariance
{
    private readonly double[] _cov;

    /// <summary>
    /// An empty covariance for <paramref name="channels"/> channels at lags 0 … <paramref name="maxLag"/>, to be
    /// filled (and refilled every hop) by <see cref="LoadGram"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public LaggedVariableCovariance(int channels, int maxLag)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLag);
        Channels = channels;
        MaxLag = maxLag;
        int dim = channels * (maxLag + 1);
        _cov = new double[dim * dim];
    }

    private LaggedVariableCovariance(double[] cov, int channels, int maxLag, int rows)
    {
        _cov = cov;
        Channels = channels;
        MaxLag = maxLag;
        Rows = rows;
    }

    /// <summary>Number of channels C.</summary>
    public int Channels { get; }

    /// <summary>Largest lag L held.</summary>
    public int MaxLag { get; }

    /// <summary>Number of rows (sample times) the covariance was computed over.</summary>
    public int Rows { get; private set; }

    /// <summary>Number of lagged variables, C·(L + 1).</summary>
    public int Dimension => Channels * (MaxLag + 1);

    /// <summary>Covariance (divided by the row count) of two lagged variables, by index.</summary>
    public double this[int a, int b] => _cov[(a * Dimension) + b];

    /// <summary>Index of a lagged variable in the matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The channel or lag is out of range.</exception>
    public int IndexOf(LaggedVariable v)
    {
        if ((uint)v.Channel >= (uint)Channels || (uint)v.Lag > (uint)MaxLag)
        {
            throw new ArgumentOutOfRangeException(nameof(v), v, $"Only channels 0..{Channels - 1} at lags 0..{MaxLag} are held.");
        }
        return (v.Lag * Channels) + v.Channel;
    }

    /// <summary>
    /// Builds the covariance from row-major samples (T × C) over rows <paramref name="firstRow"/> … T−1.
    /// Means are removed (two passes), so every later test is a regression with intercept.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is inconsistent, firstRow &lt; maxLag, or fewer than 2 rows remain.</exception>
    public static LaggedVariableCovariance FromSeries(ReadOnlySpan<double> rowMajor, int channels, int maxLag, int firstRow)
    {
        if (channels < 1 || maxLag < 0 || rowMajor.Length % channels != 0)
        {
            throw new ArgumentException($"{rowMajor.Length} values do not form rows of {channels} channels.", nameof(rowMajor));
        }
        int samples = rowMajor.Length / channels;
        if (firstRow < maxLag)
        {
            throw new ArgumentException($"The first row ({firstRow}) must be at least the largest lag ({maxLag}).", nameof(firstRow));
        }
        int rows = samples - firstRow;
        if (rows < 2)
        {
            throw new ArgumentException($"{samples} samples leave {rows} rows after row {firstRow}; at least 2 are needed.", nameof(rowMajor));
        }

        int dim = channels * (maxLag + 1);
        var mean = new double[channels];
        for (int t = 0; t < samples; t++)
        {
            for (int c = 0; c < channels; c++)
            {
                mean[c] += rowMajor[(t * channels) + c];
            }
        }
        // A per-channel centre keeps the products small; the exact per-variable means are removed below.
        for (int c = 0; c < channels; c++)
        {
            mean[c] /= samples;
        }
        var x = new double[samples * channels];
        for (int t = 0; t < samples; t++)
        {
            for (int c = 0; c < channels; c++)
            {
                x[(t * channels) + c] = rowMajor[(t * channels) + c] - mean[c];
            }
        }

        // Sums of each lagged variable over the rows: variable (c, ℓ) takes x[t − ℓ, c] for t = firstRow … T−1.
        var sum = new double[dim];
        for (int lag = 0; lag <= maxLag; lag++)
        {
            for (int t = firstRow - lag; t < samples - lag; t++)
            {
                for (int c = 0; c < channels; c++)
                {
                    sum[(lag * channels) + c] += x[(t * channels) + c];
                }
            }
        }

        // The block of lags (ℓ, ℓ + d) is Σ_s x[s] x[s − d]ᵀ over s = firstRow − ℓ … T−1−ℓ: computed once for ℓ = 0,
        // then shifted one row per ℓ (add the row entering, remove the row leaving), so the cost is O(T·C²·L).
        var cross = new double[dim * dim];
        var m = new double[channels * channels];
        for (int d = 0; d <= maxLag; d++)
        {
            Array.Clear(m);
            for (int t = firstRow; t < samples; t++)
            {
                AddOuter(m, x.AsSpan(t * channels, channels), x.AsSpan((t - d) * channels, channels), 1.0);
            }
            for (int l1 = 0; l1 + d <= maxLag; l1++)
            {
                int l2 = l1 + d;
                for (int c1 = 0; c1 < channels; c1++)
                {
                    int a = (l1 * channels) + c1;
                    for (int c2 = 0; c2 < channels; c2++)
                    {
                        int b = (l2 * channels) + c2;
                        double v = m[(c1 * channels) + c2];
                        cross[(a * dim) + b] = v;
                        cross[(b * dim) + a] = v;
                    }
                }
                if (l2 < maxLag)
                {
                    int entering = firstRow - l1 - 1;
                    int leaving = samples - 1 - l1;
                    AddOuter(m, x.AsSpan(entering * channels, channels), x.AsSpan((entering - d) * channels, channels), 1.0);
                    AddOuter(m, x.AsSpan(leaving * channels, channels), x.AsSpan((leaving - d) * channels, channels), -1.0);
                }
            }
        }

        double n = rows;
        for (int a = 0; a < dim; a++)
        {
            double ma = sum[a] / n;
            for (int b = a; b < dim; b++)
            {
                double v = (cross[(a * dim) + b] / n) - (ma * (sum[b] / n));
                cross[(a * dim) + b] = v;
                cross[(b * dim) + a] = v;
            }
        }
        return new LaggedVariableCovariance(cross, channels, maxLag, rows);
    }

    /// <summary>
    /// Overwrites the covariance from a Gram matrix of the rows [1, x_t, x_{t−1}, …, x_{t−L}] (side 1 + C·(L + 1),
    /// row-major, index 0 the intercept and variable (c, ℓ) at 1 + ℓ·C + c), as the windowed lagged statistics
    /// of the Granger engine build it: cov = (G − s·sᵀ/n)/n with n = G[0, 0] rows and s the sums. Allocation-free,
    /// so a live stage can refill one instance per hop; the cost does not depend on the window length.
    /// </summary>
    /// <exception cref="ArgumentException">The Gram is too small or holds fewer than 2 rows.</exception>
    public void LoadGram(ReadOnlySpan<double> gram)
    {
        int dim = Dimension;
        int side = dim + 1;
        if (gram.Length < side * side)
        {
            throw new ArgumentException($"A Gram of side {side} ({side * side} values) is needed, got {gram.Length} values.", nameof(gram));
        }
        double n = gram[0];
        if (!(n >= 2))
        {
            throw new ArgumentException($"The Gram holds {n} rows; at least 2 are needed.", nameof(gram));
        }
        for (int a = 0; a < dim; a++)
        {
            double ma = gram[1 + a] / n;
            int row = (1 + a) * side;
            for (int b = a; b < dim; b++)
            {
                double v = (gram[row + 1 + b] / n) - (ma * (gram[1 + b] / n));
                _cov[(a * dim) + b] = v;
                _cov[(b * dim) + a] = v;
            }
        }
        Rows = (int)Math.Round(n);
    }

    /// <summary>m += sign · u vᵀ (C × C, row-major).</summary>
    private static void AddOuter(double[] m, ReadOnlySpan<double> u, ReadOnlySpan<double> v, double sign)
    {
        int c = u.Length;
        for (int i = 0; i < c; i++)
        {
            double ui = sign * u[i];
            var row = m.AsSpan(i * c, c);
            for (int j = 0; j < c; j++)
            {
                row[j] += ui * v[j];
            }
        }
    }

    /// <summary>The covariance of i.i.d. rows (T × C, row-major): lag 0 only, every row used.</summary>
    public static LaggedVariableCovariance FromRows(ReadOnlySpan<double> rowMajor, int channels) => FromSeries(rowMajor, channels, 0, 0);

    /// <summary>
    /// Partial correlation of variables <paramref name="x"/> and <paramref name="y"/> given <paramref name="z"/>
    /// (indices). Orders the submatrix as [z…, x, y], factors it (Cholesky) and reads the conditional 2×2
    /// covariance from the last block. <paramref name="scratch"/> needs (|z| + 2)² entries. Returns 0 when a
    /// conditional variance is not positive.
    /// </summary>
    public double PartialCorrelation(int x, int y, ReadOnlySpan<int> z, Span<double> scratch) => PartialCorrelation(x, y, z, scratch, out _);

    /// <summary>
    /// <see cref="PartialCorrelation(int, int, ReadOnlySpan{int}, Span{double})"/>, also reporting whether the test was
    /// degenerate: a conditioning variable collinear with the ones before it (its residual variance at most
    /// <see cref="CollinearityTolerance"/> of its variance; it is then skipped), or X or Y left without variance by Z
    /// (the value is then 0). A duplicated or constant channel makes tests degenerate.
    /// </summary>
    public double PartialCorrelation(int x, int y, ReadOnlySpan<int> z, Span<double> scratch, out bool degenerate)
    {
        int k = z.Length + 2;
        var m = scratch[..(k * k)];
        Fill(m, k, x, y, z);
        degenerate = !Cholesky(m, k, k - 2, z);
        // After eliminating z, the trailing 2×2 block holds the conditional covariance of (x, y).
        double sxx = m[((k - 2) * k) + (k - 2)];
        double sxy = m[((k - 1) * k) + (k - 2)];
        double syy = m[((k - 1) * k) + (k - 1)];
        double vx = _cov[(x * Dimension) + x];
        double vy = _cov[(y * Dimension) + y];
        if (!(sxx > CollinearityTolerance * vx) || !(syy > CollinearityTolerance * vy))
        {
            degenerate = true;
            return 0;
        }
        double r = sxy / Math.Sqrt(sxx * syy);
        return Math.Clamp(r, -1.0, 1.0);
    }

    /// <summary>Relative residual variance at or below which a variable counts as collinear with the conditions (1e-10).</summary>
    public const double CollinearityTolerance = 1e-10;

    /// <summary>
    /// Residual variance of variable <paramref name="y"/> after regressing it on <paramref name="z"/> (with intercept),
    /// divided by the variance of y: 1 − R². <paramref name="scratch"/> needs (|z| + 2)² entries.
    /// </summary>
    public double ResidualVarianceRatio(int y, ReadOnlySpan<int> z, Span<double> scratch)
    {
        int k = z.Length + 2;
        var m = scratch[..(k * k)];
        Fill(m, k, y, y, z);
        Cholesky(m, k, k - 2, z);
        double cond = m[((k - 2) * k) + (k - 2)];
        double total = _cov[(y * Dimension) + y];
        return total > 0 ? Math.Max(cond, 0) / total : 1.0;
    }

    private void Fill(Span<double> m, int k, int x, int y, ReadOnlySpan<int> z)
    {
        int dim = Dimension;
        for (int a = 0; a < k; a++)
        {
            int ia = a < k - 2 ? z[a] : (a == k - 2 ? x : y);
            for (int b = 0; b <= a; b++)
            {
                int ib = b < k - 2 ? z[b] : (b == k - 2 ? x : y);
                m[(a * k) + b] = _cov[(ia * dim) + ib];
            }
        }
    }

    /// <summary>
    /// Partial Cholesky elimination of the first <paramref name="pivots"/> variables of the lower triangle of
    /// <paramref name="m"/> (k × k); the trailing block becomes the Schur complement (the conditional covariance).
    /// Returns false when a pivot is not above <see cref="CollinearityTolerance"/> times the variable's variance (a
    /// conditioning variable is constant or collinear with earlier ones); that pivot is skipped.
    /// </summary>
    private bool Cholesky(Span<double> m, int k, int pivots, ReadOnlySpan<int> z)
    {
        bool ok = true;
        int dim = Dimension;
        for (int p = 0; p < pivots; p++)
        {
            double d = m[(p * k) + p];
            if (!(d > CollinearityTolerance * _cov[(z[p] * dim) + z[p]]))
            {
                ok = false;
                for (int a = p; a < k; a++)
                {
                    m[(a * k) + p] = 0;
                }
                continue;
            }
            double s = Math.Sqrt(d);
            for (int a = p; a < k; a++)
            {
                m[(a * k) + p] /= s;
            }
            for (int a = p + 1; a < k; a++)
            {
                double la = m[(a * k) + p];
                for (int b = p + 1; b <= a; b++)
                {
                    m[(a * k) + b] -= la * m[(b * k) + p];
                }
            }
        }
        return ok;
    }
}
