using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>Naive difference in means ȳ₁ − ȳ₀ with the unequal-variance standard error √(s₁²/n₁ + s₀²/n₀) (ddof = 1).</summary>
public static class DifferenceInMeansEstimator
{
    public const string Name = "diff";

    public static EffectEstimate Estimate(EffectData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (EffectResults.Check(data) is { } reason)
        {
            return EffectResults.Withheld(data, Name, "ATE", reason);
        }

        var y1 = new List<double>();
        var y0 = new List<double>();
        for (int i = 0; i < data.N; i++)
        {
            (data.D[i] == 1 ? y1 : y0).Add(data.Y[i]);
        }

        double m1 = EffectResults.Mean(y1), m0 = EffectResults.Mean(y0);
        double se = Math.Sqrt((EffectResults.Variance(y1, 1) / y1.Count) + (EffectResults.Variance(y0, 1) / y0.Count));
        return EffectResults.Make(data, Name, "ATE", m1 - m0, se, new Dictionary<string, double> { ["mean_treated"] = m1, ["mean_control"] = m0 });
    }
}
