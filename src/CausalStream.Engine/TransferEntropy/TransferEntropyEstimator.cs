using CausalStream.Engine.Discovery;
using MathNet.Numerics;

namespace CausalStream.Engine.TransferEntropy;

/// <summary>
/// Transfer entropy TE(X → Y) between two channels of a row-major series: the Gaussian closed form (half the Granger
/// magnitude ln(RSS_r / RSS_f), from the lagged covariance) and the nonlinear Kraskov–Stögbauer–Grassberger estimate
/// on the embedded samples with a block-shift surrogate test. The KSG estimate is costlier, so it is meant for a
/// chosen subset of pairs.
/// </summary>
public static class TransferEntropyEstimator
{
    /// <summary>Relative size of the jitter added to the standardised series to break exact ties (as JIDT does).</summary>
    public const double Jitter = 1e-8;

    /// <summary>
    /// Gaussian TE = ½ ln(σ²(Y_t | Y past) / σ²(Y_t | Y past, X past)), with the F-test p-value of the nested linear
    /// regressions (l and n − k − l − 1 degrees of freedom). Equals half the Granger magnitude of a bivariate VAR.
    /// </summary>
    /// <exception cref="ArgumentException">A channel index, the options or the series length do not fit.</exception>
    public static TransferEntropyResult Gaussian(ReadOnlySpan<double> rowMajor, int channels, int source, int target, TransferEntropyOptions options)
    {
        var (pair, samples) = Pair(rowMajor, channels, source, target, options);
        int maxLag = options.MaxLag;
        var cov = LaggedVariableCovariance.FromSeries(pair, 2, maxLag, maxLag);
        int y = cov.IndexOf(new LaggedVariable(1, 0));
        int k = options.TargetHistory;
        int l = options.SourceHistory;
        var restricted = new int[k];
        var full = new int[k + l];
        for (int a = 0; a < k; a++)
        {
            restricted[a] = cov.IndexOf(new LaggedVariable(1, a + 1));
            full[a] = restricted[a];
        }
        for (int b = 0; b < l; b++)
        {
            full[k + b] = cov.IndexOf(new LaggedVariable(0, options.Delay + b));
        }
        var scratch = new double[(k + l + 2) * (k + l + 2)];
        double rssR = cov.ResidualVarianceRatio(y, restricted, scratch);
        double rssF = cov.ResidualVarianceRatio(y, full, scratch);
        double te = 0.5 * Math.Log(rssR / rssF);
        int n = samples - maxLag;
        int df2 = n - k - l - 1;
        double p = double.NaN;
        if (df2 >= 1 && rssF > 0)
        {
            double f = ((rssR - rssF) / l) / (rssF / df2);
            p = f <= 0 ? 1.0 : Math.Clamp(SpecialFunctions.BetaRegularized(df2 / 2.0, l / 2.0, df2 / (df2 + (l * f))), 0.0, 1.0);
        }
        return new TransferEntropyResult(source, target, te, p, n, double.NaN);
    }

    /// <summary>
    /// KSG TE = I(Y_t ; X past | Y past) on the standardised, embedded samples (<see cref="KsgConditionalMutualInformation"/>).
    /// The p-value compares it with <see cref="TransferEntropyOptions.Surrogates"/> surrogates whose source is
    /// circularly shifted by a random offset of at least a twentieth of the series (keeping its autocorrelation):
    /// p = (1 + #{surrogate ≥ TE}) / (1 + surrogates).
    /// </summary>
    /// <exception cref="ArgumentException">A channel index, the options or the series length do not fit, or a value is not finite.</exception>
    public static TransferEntropyResult Ksg(ReadOnlySpan<double> rowMajor, int channels, int source, int target, TransferEntropyOptions options)
    {
        var (pair, samples) = Pair(rowMajor, channels, source, target, options);
        int maxLag = options.MaxLag;
        int n = samples - maxLag;
        if (n <= options.Neighbours + 1)
        {
            throw new ArgumentException($"{samples} samples leave {n} embedded points; the KSG estimate with k = {options.Neighbours} needs more.", nameof(rowMajor));
        }
        var rng = new Random(options.Seed);
        var xs = Standardise(pair, 0, samples, rng);
        var ys = Standardise(pair, 1, samples, rng);

        int k = options.TargetHistory;
        int l = options.SourceHistory;
        var yNow = new double[n];
        var yPast = new double[n * k];
        var xPast = new double[n * l];
        for (int i = 0; i < n; i++)
        {
            int t = i + maxLag;
            yNow[i] = ys[t];
            for (int a = 0; a < k; a++)
            {
                yPast[(i * k) + a] = ys[t - 1 - a];
            }
        }
        EmbedSource(xs, 0, maxLag, options, xPast);
        var yz = KsgConditionalMutualInformation.YzTree(yNow, 1, yPast, k);
        var z = new MaxNormKdTree(yPast, k);
        double te = KsgConditionalMutualInformation.Estimate(xPast, l, yNow, 1, yPast, k, options.Neighbours, yz, z);

        double p = double.NaN;
        double surrogateMean = double.NaN;
        if (options.Surrogates > 0)
        {
            int minShift = Math.Max(maxLag + 1, samples / 20);
            if (samples - (2 * minShift) < 1)
            {
                throw new ArgumentException($"{samples} samples are too few for shifted surrogates (each shift must be at least {minShift}).", nameof(rowMajor));
            }
            int exceed = 0;
            double sum = 0;
            for (int s = 0; s < options.Surrogates; s++)
            {
                int shift = minShift + rng.Next(samples - (2 * minShift) + 1);
                EmbedSource(xs, shift, maxLag, options, xPast);
                double value = KsgConditionalMutualInformation.Estimate(xPast, l, yNow, 1, yPast, k, options.Neighbours, yz, z);
                sum += value;
                if (value >= te)
                {
                    exceed++;
                }
            }
            p = (1.0 + exceed) / (1.0 + options.Surrogates);
            surrogateMean = sum / options.Surrogates;
        }
        return new TransferEntropyResult(source, target, te, p, n, surrogateMean);
    }

    /// <summary>Source past of embedded point i: X'_{t−u−b}, b = 0..l−1, with X'_s = X_{(s + shift) mod T}.</summary>
    private static void EmbedSource(double[] xs, int shift, int maxLag, TransferEntropyOptions options, double[] xPast)
    {
        int samples = xs.Length;
        int l = options.SourceHistory;
        int n = samples - maxLag;
        for (int i = 0; i < n; i++)
        {
            int t = i + maxLag;
            for (int b = 0; b < l; b++)
            {
                int s = t - options.Delay - b + shift;
                xPast[(i * l) + b] = xs[s % samples];
            }
        }
    }

    private static double[] Standardise(double[] pair, int column, int samples, Random rng)
    {
        var v = new double[samples];
        double mean = 0;
        for (int t = 0; t < samples; t++)
        {
            v[t] = pair[(t * 2) + column];
            mean += v[t];
        }
        mean /= samples;
        double ss = 0;
        for (int t = 0; t < samples; t++)
        {
            v[t] -= mean;
            ss += v[t] * v[t];
        }
        double sd = Math.Sqrt(ss / Math.Max(1, samples - 1));
        double scale = sd > 0 ? 1.0 / sd : 1.0;
        for (int t = 0; t < samples; t++)
        {
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            v[t] = (v[t] * scale) + (Jitter * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
        return v;
    }

    /// <summary>Copies the source and target columns into a T × 2 series [X, Y] after checking the inputs.</summary>
    private static (double[] Pair, int Samples) Pair(ReadOnlySpan<double> rowMajor, int channels, int source, int target, TransferEntropyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (channels < 1 || rowMajor.Length % channels != 0)
        {
            throw new ArgumentException($"{rowMajor.Length} values do not form rows of {channels} channels.", nameof(rowMajor));
        }
        if ((uint)source >= (uint)channels || (uint)target >= (uint)channels || source == target)
        {
            throw new ArgumentException($"Pair {source} -> {target} is not two different channels of 0..{channels - 1}.", nameof(source));
        }
        if (options.TargetHistory < 1 || options.SourceHistory < 1 || options.Delay < 1 || options.Neighbours < 1 || options.Surrogates < 0)
        {
            throw new ArgumentException("Histories, delay and neighbours must be at least 1 and surrogates at least 0.", nameof(options));
        }
        int samples = rowMajor.Length / channels;
        int needed = options.MaxLag + options.TargetHistory + options.SourceHistory + 3;
        if (samples < needed)
        {
            throw new ArgumentException($"{samples} samples are too few for transfer entropy with lags up to {options.MaxLag} (at least {needed}).", nameof(rowMajor));
        }
        var pair = new double[samples * 2];
        for (int t = 0; t < samples; t++)
        {
            double x = rowMajor[(t * channels) + source];
            double y = rowMajor[(t * channels) + target];
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                throw new ArgumentException($"Sample {t} of pair {source} -> {target} is not finite; transfer entropy needs complete data.", nameof(rowMajor));
            }
            pair[t * 2] = x;
            pair[(t * 2) + 1] = y;
        }
        return (pair, samples);
    }
}
