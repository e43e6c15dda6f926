using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Double machine learning for the partially linear model y = θd + g(x) + ε ("partialling out", DML2): the
/// nuisances l(x) = E[y|x] and m(x) = E[d|x] are OLS or ridge regressions fitted on the other folds and predicted
/// on each fold; with u = y − l̂ and v = d − m̂, θ = Σvu/Σv² and se = √(mean(((u − θv)v)²)/mean(v²)²/n).
/// </summary>
public static class DmlPlrEstimator
{
    public const string Name = "dml";

    public static EffectEstimate Estimate(EffectData data, EffectEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EffectEstimatorOptions();
        if (EffectResults.Check(data) is { } reason)
        {
            return EffectResults.Withheld(data, Name, "ATE", reason);
        }

        if (data.Folds is not { } folds)
        {
            return EffectResults.Withheld(data, Name, "ATE", "no folds (give a fold column or a fold count of at least 2)");
        }

        int n = data.N;
        var u = new double[n];
        var v = new double[n];
        for (int f = 0; f < data.FoldCount; f++)
        {
            int fold = f;
            var l = LinearModel.Fit(data.X, data.Y, i => folds[i] != fold, options.RidgeAlpha);
            var m = LinearModel.Fit(data.X, data.D, i => folds[i] != fold, options.RidgeAlpha);
            if (l is null || m is null)
            {
                return EffectResults.Withheld(data, Name, "ATE", $"a nuisance regression on the training rows of fold {f} is singular (use a ridge penalty)");
            }

            for (int i = 0; i < n; i++)
            {
                if (folds[i] == fold)
                {
                    u[i] = data.Y[i] - l.Predict(data.X[i]);
                    v[i] = data.D[i] - m.Predict(data.X[i]);
                }
            }
        }

        double svu = 0, svv = 0, su = 0;
        for (int i = 0; i < n; i++)
        {
            svu += v[i] * u[i];
            svv += v[i] * v[i];
            su += u[i] * u[i];
        }

        if (!(svv > 0))
        {
            return EffectResults.Withheld(data, Name, "ATE", "the treatment is fully explained by the covariates (no residual variation)");
        }

        double theta = svu / svv;
        double q = 0;
        for (int i = 0; i < n; i++)
        {
            double s = (u[i] - (theta * v[i])) * v[i];
            q += s * s;
        }

        double meanV2 = svv / n;
        double se = Math.Sqrt(q / n / (meanV2 * meanV2) / n);
        var diagnostics = new Dictionary<string, double>
        {
            ["folds"] = data.FoldCount,
            ["ridge_alpha"] = options.RidgeAlpha,
            ["nuisance_mse_l"] = su / n,
            ["nuisance_mse_m"] = meanV2,
        };
        return EffectResults.Make(data, Name, "ATE", theta, se, diagnostics);
    }
}
