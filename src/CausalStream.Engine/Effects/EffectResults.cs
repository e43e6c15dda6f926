using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>Builds <see cref="EffectEstimate"/> records (finished or withheld) and shared summary statistics.</summary>
internal static class EffectResults
{
    public const double Z975 = 1.959963984540054;

    public static EffectEstimate Make(EffectData data, string estimator, string estimand, double estimate, double se, Dictionary<string, double> diagnostics, int? n = null, int? nTreated = null)
    {
        diagnostics["rows_dropped_missing"] = data.RowsDropped;
        if (!double.IsFinite(estimate) || !double.IsFinite(se))
        {
            return Withheld(data, estimator, estimand, "the estimate is not finite (degenerate data)", diagnostics);
        }

        return new EffectEstimate
        {
            Treatment = data.Treatment,
            Outcome = data.Outcome,
            Estimator = estimator,
            Estimand = estimand,
            Estimate = estimate,
            StandardError = se,
            CiLow = estimate - (Z975 * se),
            CiHigh = estimate + (Z975 * se),
            N = n ?? data.N,
            NTreated = nTreated ?? data.NTreated,
            Diagnostics = diagnostics,
        };
    }

    public static EffectEstimate Withheld(EffectData data, string estimator, string estimand, string reason, Dictionary<string, double>? diagnostics = null)
        => new()
        {
            Treatment = data.Treatment,
            Outcome = data.Outcome,
            Estimator = estimator,
            Estimand = estimand,
            N = data.N,
            NTreated = data.NTreated,
            WithheldReason = reason,
            Diagnostics = diagnostics ?? new Dictionary<string, double> { ["rows_dropped_missing"] = data.RowsDropped },
        };

    /// <summary>The common refusals: unusable data, no treated or no control units.</summary>
    public static string? Check(EffectData data, int minPerArm = 2)
    {
        if (data.Unusable is not null)
        {
            return data.Unusable;
        }

        int treated = data.NTreated;
        if (treated < minPerArm)
        {
            return treated == 0 ? "no treated units" : $"only {treated} treated unit(s)";
        }

        int control = data.N - treated;
        if (control < minPerArm)
        {
            return control == 0 ? "no control units" : $"only {control} control unit(s)";
        }

        return null;
    }

    public static double Mean(IReadOnlyList<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Count; i++)
        {
            s += v[i];
        }

        return s / v.Count;
    }

    public static double Variance(IReadOnlyList<double> v, int ddof)
    {
        double m = Mean(v);
        double s = 0;
        for (int i = 0; i < v.Count; i++)
        {
            s += (v[i] - m) * (v[i] - m);
        }

        return s / (v.Count - ddof);
    }
}
