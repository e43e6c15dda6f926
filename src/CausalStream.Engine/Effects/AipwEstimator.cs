using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Augmented IPW (doubly robust): ψ = μ̂₁(x) − μ̂₀(x) + d(y − μ̂₁(x))/e − (1−d)(y − μ̂₀(x))/(1−e), with OLS outcome
/// models per arm and the logistic (or logged) propensity. <see cref="Estimate"/> fits everything on all rows
/// (se = sd(ψ, ddof = 1)/√n); <see cref="EstimateCrossFitted"/> fits the nuisances on the other folds and
/// predicts each fold (DoubleML's IRM "ATE" score, se = √(mean((ψ − θ)²)/n)).
/// </summary>
public static class AipwEstimator
{
    public const string Name = "aipw";

    public const string CrossFittedName = "aipw_crossfit";

    public static EffectEstimate Estimate(EffectData data, EffectEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EffectEstimatorOptions();
        if (EffectResults.Check(data, data.K + 1) is { } reason)
        {
            return EffectResults.Withheld(data, Name, "ATE", reason);
        }

        var scores = PropensityScores.Compute(data, options, out reason);
        if (scores is null)
        {
            return EffectResults.Withheld(data, Name, "ATE", reason!);
        }

        var m1 = LinearModel.Fit(data.X, data.Y, i => data.D[i] == 1);
        var m0 = LinearModel.Fit(data.X, data.Y, i => data.D[i] == 0);
        if (m1 is null || m0 is null)
        {
            return EffectResults.Withheld(data, Name, "ATE", "an outcome regression is singular (collinear covariates within an arm)");
        }

        var psi = Psi(data, i => m1.Predict(data.X[i]), i => m0.Predict(data.X[i]), i => scores.Clipped[i]);
        var diagnostics = new Dictionary<string, double>();
        scores.AddDiagnostics(data.D, diagnostics);
        return EffectResults.Make(data, Name, "ATE", EffectResults.Mean(psi), Math.Sqrt(EffectResults.Variance(psi, 1) / data.N), diagnostics);
    }

    public static EffectEstimate EstimateCrossFitted(EffectData data, EffectEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EffectEstimatorOptions();
        if (EffectResults.Check(data, data.K + 1) is { } reason)
        {
            return EffectResults.Withheld(data, CrossFittedName, "ATE", reason);
        }

        if (data.Folds is not { } folds)
        {
            return EffectResults.Withheld(data, CrossFittedName, "ATE", "no folds (give a fold column or a fold count of at least 2)");
        }

        int n = data.N;
        var g1 = new double[n];
        var g0 = new double[n];
        var m = new double[n];
        int clipped = 0;
        for (int f = 0; f < data.FoldCount; f++)
        {
            int fold = f;
            var l1 = LinearModel.Fit(data.X, data.Y, i => folds[i] != fold && data.D[i] == 1);
            var l0 = LinearModel.Fit(data.X, data.Y, i => folds[i] != fold && data.D[i] == 0);
            if (l1 is null || l0 is null)
            {
                return EffectResults.Withheld(data, CrossFittedName, "ATE", $"an outcome regression on the training rows of fold {f} is singular");
            }

            LogisticModel? p = null;
            if (!(options.UseLoggedPropensity && data.Propensity is not null))
            {
                p = LogisticModel.Fit(data.X, data.D, i => folds[i] != fold, options.PropensityC);
                if (p.Separated || !p.Converged)
                {
                    return EffectResults.Withheld(data, CrossFittedName, "ATE", $"the propensity model on the training rows of fold {f} has no finite fit (separation)");
                }
            }

            for (int i = 0; i < n; i++)
            {
                if (folds[i] != fold)
                {
                    continue;
                }

                g1[i] = l1.Predict(data.X[i]);
                g0[i] = l0.Predict(data.X[i]);
                double e = p?.Predict(data.X[i]) ?? data.Propensity![i];
                double c = options.ClipLow > 0 ? Math.Clamp(e, options.ClipLow, 1 - options.ClipLow) : e;
                if (c != e)
                {
                    clipped++;
                }

                m[i] = c;
            }
        }

        var psi = Psi(data, i => g1[i], i => g0[i], i => m[i]);
        double theta = EffectResults.Mean(psi);
        var diagnostics = new Dictionary<string, double>
        {
            ["folds"] = data.FoldCount,
            ["n_clipped"] = clipped,
            ["propensity_min"] = m.Min(),
            ["propensity_max"] = m.Max(),
        };
        return EffectResults.Make(data, CrossFittedName, "ATE", theta, Math.Sqrt(EffectResults.Variance(psi, 0) / n), diagnostics);
    }

    /// <summary>The AIPW influence values, for confidence sequences.</summary>
    internal static double[] Psi(EffectData data, Func<int, double> mu1, Func<int, double> mu0, Func<int, double> e)
    {
        var psi = new double[data.N];
        for (int i = 0; i < data.N; i++)
        {
            double a = mu1(i), b = mu0(i), p = e(i);
            psi[i] = a - b + (data.D[i] * (data.Y[i] - a) / p) - ((1 - data.D[i]) * (data.Y[i] - b) / (1 - p));
        }

        return psi;
    }
}
