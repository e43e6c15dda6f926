namespace CausalStream.Engine.Effects;

/// <summary>
/// Summary features of one channel over a short window, as used for event-table covariates and outcomes: mean,
/// variance (ddof 0) and band power from the window's discrete Fourier transform. Allocation-free.
/// </summary>
public static class WindowFeatures
{
    /// <summary>Arithmetic mean.</summary>
    public static double Mean(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i];
        }

        return sum / x.Length;
    }

    /// <summary>Variance with ddof 0 (two-pass).</summary>
    public static double Variance(ReadOnlySpan<double> x)
    {
        double m = Mean(x);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - m;
            sum += d * d;
        }

        return sum / x.Length;
    }

    /// <summary>
    /// Power of the demeaned window in [lowHz, highHz]: Σ over DFT bins k with k·rate/N in the band of
    /// 2|X_k|²/N² (|X_k|²/N² for the Nyquist bin). Summed over every bin it is the variance (ddof 0), and a sinusoid
    /// of amplitude A on a bin frequency gives A²/2, so band powers are shares of the window's variance.
    /// </summary>
    public static double BandPower(ReadOnlySpan<double> x, double rate, double lowHz, double highHz)
    {
        int n = x.Length;
        if (n < 2)
        {
            return 0;
        }

        double m = Mean(x);
        double power = 0;
        double resolution = rate / n;
        int first = Math.Max(1, (int)Math.Ceiling((lowHz / resolution) - 1e-9));
        int last = Math.Min(n / 2, (int)Math.Floor((highHz / resolution) + 1e-9));
        for (int k = first; k <= last; k++)
        {
            double step = -2 * Math.PI * k / n;
            double re = 0, im = 0;
            for (int t = 0; t < n; t++)
            {
                double v = x[t] - m;
                double angle = step * t;
                re += v * Math.Cos(angle);
                im += v * Math.Sin(angle);
            }

            double weight = (n % 2 == 0 && k == n / 2) ? 1 : 2;
            power += weight * ((re * re) + (im * im)) / ((double)n * n);
        }

        return power;
    }
}
