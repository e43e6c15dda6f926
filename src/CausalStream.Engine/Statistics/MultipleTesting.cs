namespace CausalStream.Engine.Statistics;

/// <summary>
/// Multiple-testing adjustments for a family of p-values (e.g. the C(C−1) pairwise Granger tests):
/// Benjamini–Hochberg q-values and Bonferroni. The span overloads allocate nothing.
/// </summary>
public static class MultipleTesting
{
    /// <summary>
    /// Adjusts <paramref name="pValues"/> into <paramref name="adjusted"/> (same length; may alias the input)
    /// using the caller's scratch buffers (each at least as long as the input).
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is shorter than the input.</exception>
    public static void Adjust(
        MultipleTestCorrection correction,
        ReadOnlySpan<double> pValues,
        Span<double> adjusted,
        Span<double> sortScratch,
        Span<int> indexScratch)
    {
        if (adjusted.Length < pValues.Length)
        {
            throw new ArgumentException($"The output holds {adjusted.Length} values; {pValues.Length} are needed.", nameof(adjusted));
        }
        switch (correction)
        {
            case MultipleTestCorrection.None:
                pValues.CopyTo(adjusted);
                break;
            case MultipleTestCorrection.Bonferroni:
                Bonferroni(pValues, adjusted);
                break;
            case MultipleTestCorrection.BenjaminiHochberg:
                BenjaminiHochberg(pValues, adjusted, sortScratch, indexScratch);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(correction), correction, "Unknown multiple-test correction.");
        }
    }

    /// <summary>
    /// Benjamini–Hochberg q-values: q_(k) = min over j ≥ k of min(1, p_(j)·m/j) for the ascending order p_(1) ≤ … ≤ p_(m)
    /// (monotone step-up; equal to statsmodels' multipletests(method='fdr_bh')). NaN p-values are treated as 1.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is shorter than the input.</exception>
    public static void BenjaminiHochberg(ReadOnlySpan<double> pValues, Span<double> qValues, Span<double> sortScratch, Span<int> indexScratch)
    {
        int m = pValues.Length;
        if (qValues.Length < m || sortScratch.Length < m || indexScratch.Length < m)
        {
            throw new ArgumentException($"Benjamini–Hochberg on {m} p-values needs output and scratch buffers of at least {m} entries.");
        }
        if (m == 0)
        {
            return;
        }
        var keys = sortScratch[..m];
        var idx = indexScratch[..m];
        for (int k = 0; k < m; k++)
        {
            double p = pValues[k];
            keys[k] = double.IsNaN(p) ? 1.0 : p;
            idx[k] = k;
        }
        keys.Sort(idx);
        double running = 1.0;
        for (int k = m - 1; k >= 0; k--)
        {
            double q = keys[k] * m / (k + 1);
            if (q < running)
            {
                running = q;
            }
            keys[k] = running;
        }
        for (int k = 0; k < m; k++)
        {
            qValues[idx[k]] = keys[k];
        }
    }

    /// <summary>Benjamini–Hochberg q-values into a new array; see the span overload.</summary>
    public static double[] BenjaminiHochberg(ReadOnlySpan<double> pValues)
    {
        var q = new double[pValues.Length];
        BenjaminiHochberg(pValues, q, new double[pValues.Length], new int[pValues.Length]);
        return q;
    }

    /// <summary>Bonferroni: min(1, p·m). <paramref name="adjusted"/> may alias the input.</summary>
    public static void Bonferroni(ReadOnlySpan<double> pValues, Span<double> adjusted)
    {
        int m = pValues.Length;
        for (int k = 0; k < m; k++)
        {
            double p = double.IsNaN(pValues[k]) ? 1.0 : pValues[k];
            adjusted[k] = Math.Min(1.0, p * m);
        }
    }
}
