namespace CausalStream.Engine.Effects;

/// <summary>
/// Propensity scores for a sample: the logged propensity when present (and allowed), otherwise a logistic model
/// fitted on all rows. Scores are clipped to [c, 1 − c]; the clipped count, the range and the Kish effective
/// sample sizes of the inverse-propensity weights per arm are the overlap diagnostics.
/// </summary>
public sealed class PropensityScores
{
    private PropensityScores(double[] raw, double[] clipped, double[] logits, int nClipped, bool logged, LogisticModel? model)
    {
        Raw = raw;
        Clipped = clipped;
        Logits = logits;
        NClipped = nClipped;
        Logged = logged;
        Model = model;
    }

    /// <summary>Unclipped propensities.</summary>
    public double[] Raw { get; }

    /// <summary>Propensities clipped to the configured band.</summary>
    public double[] Clipped { get; }

    /// <summary>The logit of the propensity: the model's linear predictor, or log(e/(1 − e)) for logged values.</summary>
    public double[] Logits { get; }

    public int NClipped { get; }

    /// <summary>True when the logged propensity was used.</summary>
    public bool Logged { get; }

    /// <summary>The fitted model; null for logged propensities.</summary>
    public LogisticModel? Model { get; }

    /// <summary>Scores for <paramref name="data"/>; null with a reason when the model cannot be fitted (separation).</summary>
    public static PropensityScores? Compute(EffectData data, EffectEstimatorOptions options, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        reason = null;
        double[] raw;
        double[] logits;
        LogisticModel? model = null;
        bool logged = options.UseLoggedPropensity && data.Propensity is not null;
        if (logged)
        {
            raw = (double[])data.Propensity!.Clone();
            logits = raw.Select(e => Math.Log(e / (1 - e))).ToArray();
        }
        else
        {
            model = LogisticModel.Fit(data.X, data.D, c: options.PropensityC);
            if (model.Separated)
            {
                reason = "the covariates perfectly separate treated from control units, so the propensity model has no finite fit (no overlap)";
                return null;
            }

            if (!model.Converged)
            {
                reason = $"the propensity model did not converge in {model.Iterations} Newton iterations";
                return null;
            }

            logits = data.X.Select(model.Logit).ToArray();
            raw = logits.Select(LogisticModel.Sigmoid).ToArray();
        }

        var clipped = new double[raw.Length];
        int n = 0;
        double lo = options.ClipLow;
        for (int i = 0; i < raw.Length; i++)
        {
            clipped[i] = lo > 0 ? Math.Clamp(raw[i], lo, 1 - lo) : raw[i];
            if (clipped[i] != raw[i])
            {
                n++;
            }
        }

        return new PropensityScores(raw, clipped, logits, n, logged, model);
    }

    /// <summary>Adds the overlap diagnostics to <paramref name="diagnostics"/>.</summary>
    public void AddDiagnostics(double[] d, Dictionary<string, double> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(diagnostics);
        diagnostics["propensity_logged"] = Logged ? 1 : 0;
        diagnostics["propensity_min"] = Raw.Min();
        diagnostics["propensity_max"] = Raw.Max();
        diagnostics["n_clipped"] = NClipped;
        double s1 = 0, q1 = 0, s0 = 0, q0 = 0;
        for (int i = 0; i < d.Length; i++)
        {
            if (d[i] == 1)
            {
                double w = 1 / Clipped[i];
                s1 += w;
                q1 += w * w;
            }
            else
            {
                double w = 1 / (1 - Clipped[i]);
                s0 += w;
                q0 += w * w;
            }
        }

        diagnostics["ess_treated"] = s1 * s1 / q1;
        diagnostics["ess_control"] = s0 * s0 / q0;
    }
}
