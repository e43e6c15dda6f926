namespace CausalStream.Engine.Statistics;

/// <summary>
/// VAR order selection by AIC, BIC, HQIC and FPE over orders 0..pmax, reproducing statsmodels'
/// VAR.select_order(pmax, trend='c'): every order is fitted on the same rows (those complete for pmax lags),
/// with the ML residual covariance Σ = SSE/nobs and free parameters q·C² + C.
/// </summary>
/// <remarks>
/// One Cholesky of the pmax Gram serves every order, because the factor of a leading block is the leading
/// block of the factor. Criteria: AIC = ln|Σ| + 2k/n, BIC = ln|Σ| + k·ln(n)/n, HQIC = ln|Σ| + 2k·ln(ln n)/n,
/// FPE = ((n + q·C + 1)/(n − q·C − 1))^C·|Σ|. A singular Σ gives ln|Σ| = −∞ for that order.
/// </remarks>
public static class VarOrderSelection
{
    /// <summary>Selects the order on the rows of <paramref name="stats"/>, whose maximum lag is pmax.</summary>
    /// <exception cref="ArgumentException">The window has too few rows for a VAR(pmax).</exception>
    public static VarOrderSelectionResult Select(LaggedCovariance stats, double singularityTolerance = 1e-11, double ridgeFactor = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(stats);
        int c = stats.Channels;
        int pmax = stats.MaxLag;
        int gdim = stats.GramDimension;
        var gram = new double[gdim * gdim];
        stats.BuildGram(gram);
        double n = gram[0];
        int k = 1 + c * pmax;
        if (!(n > k))
        {
            throw new ArgumentException($"Order selection up to lag {pmax} on {c} channels needs more than {k} rows; the window has {n}.", nameof(stats));
        }

        var l = new double[k * k];
        double meanDiag = 0.0;
        for (int r = 1; r < k; r++)
        {
            meanDiag += gram[(r + c) * gdim + r + c];
        }
        meanDiag = meanDiag / (k - 1) > 0.0 ? meanDiag / (k - 1) : 1.0;
        bool ridgeApplied = false;
        for (int attempt = 0; ; attempt++)
        {
            double ridge = attempt == 0 ? 0.0 : ridgeFactor * meanDiag * Math.Pow(100.0, attempt - 1);
            for (int r = 0; r < k; r++)
            {
                int gr = r == 0 ? 0 : r + c;
                for (int s = 0; s <= r; s++)
                {
                    l[r * k + s] = gram[gr * gdim + (s == 0 ? 0 : s + c)];
                }
                if (r > 0)
                {
                    l[r * k + r] += ridge;
                }
            }
            if (DenseKernels.CholeskyInPlace(l, k, singularityTolerance) < 0)
            {
                ridgeApplied = attempt > 0;
                break;
            }
            if (attempt >= 6)
            {
                throw new ArgumentException($"The lagged Gram matrix of {c} channels up to lag {pmax} is singular even with a ridge of {ridge}.", nameof(stats));
            }
        }

        // W = L⁻¹ Z'Y, one column per equation; SSE of order q = Y'Y − W_qᵀW_q with W_q the first 1 + q·C rows.
        var w = new double[c * k];
        for (int i = 0; i < c; i++)
        {
            var col = w.AsSpan(i * k, k);
            for (int r = 0; r < k; r++)
            {
                col[r] = gram[(r == 0 ? 0 : r + c) * gdim + 1 + i];
            }
            DenseKernels.ForwardSubstitute(l, k, k, col);
        }

        var aic = new double[pmax + 1];
        var bic = new double[pmax + 1];
        var hqic = new double[pmax + 1];
        var fpe = new double[pmax + 1];
        var sigma = new double[c * c];
        for (int q = 0; q <= pmax; q++)
        {
            int kq = 1 + c * q;
            for (int i = 0; i < c; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    double sse = gram[(1 + i) * gdim + 1 + j] - DenseKernels.Dot(w.AsSpan(i * k, kq), w.AsSpan(j * k, kq));
                    sigma[i * c + j] = sse / n;
                }
            }
            double dfResid = n - kq;
            double ld = double.NegativeInfinity;
            if (dfResid > 0.0 && DenseKernels.CholeskyInPlace(sigma, c, 0.0) < 0)
            {
                ld = 0.0;
                for (int i = 0; i < c; i++)
                {
                    ld += 2.0 * Math.Log(sigma[i * c + i]);
                }
            }
            double free = (double)q * c * c + c;
            aic[q] = ld + 2.0 / n * free;
            bic[q] = ld + Math.Log(n) / n * free;
            hqic[q] = ld + 2.0 * Math.Log(Math.Log(n)) / n * free;
            fpe[q] = dfResid > 0.0 ? Math.Pow((n + kq) / dfResid, c) * Math.Exp(ld) : double.PositiveInfinity;
        }
        return new VarOrderSelectionResult(pmax, n, aic, bic, hqic, fpe, ridgeApplied);
    }

    /// <summary>Batch helper: order selection on a whole row-major data matrix (samples × channels).</summary>
    public static VarOrderSelectionResult Select(ReadOnlySpan<double> rowMajor, int channels, int maxLag)
        => Select(LaggedCovariance.FromData(rowMajor, channels, maxLag));
}
