using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Inverse propensity weighting, Hájek (normalised) form: μ₁ = Σ(d y/e)/Σ(d/e), μ₀ likewise for the controls,
/// estimate μ₁ − μ₀, se = √(mean(φ²)/n) with the influence values φ treating e as known. The Horvitz–Thompson
/// estimate mean(d y/e − (1−d) y/(1−e)) and its se (ddof = 1) are reported as diagnostics.
/// </summary>
public static class IpwEstimator
{
    public const string Name = "ipw";

    public static EffectEstimate Estimate(EffectData data, EffectEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EffectEstimatorOptions();
        if (EffectResults.Check(data) is { } reason)
        {
            return EffectResults.Withheld(data, Name, "ATE", reason);
        }

        var scores = PropensityScores.Compute(data, options, out reason);
        if (scores is null)
        {
            return EffectResults.Withheld(data, Name, "ATE", reason!);
        }

        var e = scores.Clipped;
        int n = data.N;
        double s1 = 0, sy1 = 0, s0 = 0, sy0 = 0;
        var ht = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (data.D[i] == 1)
            {
                s1 += 1 / e[i];
                sy1 += data.Y[i] / e[i];
                ht[i] = data.Y[i] / e[i];
            }
            else
            {
                s0 += 1 / (1 - e[i]);
                sy0 += data.Y[i] / (1 - e[i]);
                ht[i] = -data.Y[i] / (1 - e[i]);
            }
        }

        double mu1 = sy1 / s1, mu0 = sy0 / s0;
        double a1 = s1 / n, a0 = s0 / n;
        double q = 0;
        for (int i = 0; i < n; i++)
        {
            double phi = data.D[i] == 1 ? (data.Y[i] - mu1) / e[i] / a1 : -(data.Y[i] - mu0) / (1 - e[i]) / a0;
            q += phi * phi;
        }

        double se = Math.Sqrt(q / n / n);
        var diagnostics = new Dictionary<string, double>
        {
            ["mu1"] = mu1,
            ["mu0"] = mu0,
            ["ht_estimate"] = EffectResults.Mean(ht),
            ["ht_se"] = Math.Sqrt(EffectResults.Variance(ht, 1) / n),
        };
        scores.AddDiagnostics(data.D, diagnostics);
        return EffectResults.Make(data, Name, "ATE", mu1 - mu0, se, diagnostics);
    }
}
