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
    public int Rows { get; }

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

        var sum = new double[dim];
        var cross = new double[dim * dim];
        var row = new double[dim];
        for (int t = firstRow; t < samples; t++)
        {
            for (int lag = 0; lag <= maxLag; lag++)
            {
                int src = (t - lag) * channels;
                for (int c = 0; c < channels; c++)
                {
                    row[(lag * channels) + c] = rowMajor[src + c] - mean[c];
                }
            }
            for (int a = 0; a < dim; a++)
            {
                double va = row[a];
                sum[a] += va;
                int off = a * dim;
                for (int b = a; b < dim; b++)
                {
                    cross[off + b] += va * row[b];
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

    /// <summary>The covariance of i.i.d. rows (T × C, row-major): lag 0 only, every row used.</summary>
    public static LaggedVariableCovariance FromRows(ReadOnlySpan<double> rowMajor, int channels) => FromSeries(rowMajor, channels, 0, 0);

    /// <summary>
    /// Partial correlation of variables <paramref name="x"/> and <paramref name="y"/> given <paramref name="z"/>
    /// (indices). Orders the submatrix as [z…, x, y], factors it (Cholesky) and reads the conditional 2×2
    /// covariance from the last block. <paramref name="scratch"/> needs (|z| + 2)² entries. Returns 0 when a
    /// conditional variance is not positive.
    /// </summary>
    public double PartialCorrelation(int x, int y, ReadOnlySpan<int> z, Span<double> scratch)
    {
        int k = z.Length + 2;
        var m = scratch[..(k * k)];
        Fill(m, k, x, y, z);
        if (!Cholesky(m, k, k - 2))
        {
            return 0;
        }
        // After eliminating z, the trailing 2×2 block holds the conditional covariance of (x, y).
        double sxx = m[((k - 2) * k) + (k - 2)];
        double sxy = m[((k - 1) * k) + (k - 2)];
        double syy = m[((k - 1) * k) + (k - 1)];
        if (sxx <= 0 || syy <= 0)
        {
            return 0;
        }
        double r = sxy / Math.Sqrt(sxx * syy);
        return Math.Clamp(r, -1.0, 1.0);
    }

    /// <summary>
    /// Residual variance of variable <paramref name="y"/> after regressing it on <paramref name="z"/> (with intercept),
    /// divided by the variance of y: 1 − R². <paramref name="scratch"/> needs (|z| + 2)² entries.
    /// </summary>
    public double ResidualVarianceRatio(int y, ReadOnlySpan<int> z, Span<double> scratch)
    {
        int k = z.Length + 2;
        var m = scratch[..(k * k)];
        Fill(m, k, y, y, z);
        Cholesky(m, k, k - 2);
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
    /// Returns false when a pivot is not positive (a conditioning variable is constant or collinear).
    /// </summary>
    private static bool Cholesky(Span<double> m, int k, int pivots)
    {
        bool ok = true;
        for (int p = 0; p < pivots; p++)
        {
            double d = m[(p * k) + p];
            if (!(d > 0))
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
