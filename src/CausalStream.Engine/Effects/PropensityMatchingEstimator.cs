using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>
/// 1:1 nearest-neighbour matching on the logit of the propensity, for the ATT. A treated unit is matched to the
/// control with the smallest |logit_t − logit_c| (ties to the lowest row) if that distance is within the caliper
/// (a multiple of the logit's SD, ddof = 1), else dropped. With replacement a control may serve several treated
/// units; without, treated units are taken in decreasing logit order and each takes the nearest unused control.
/// ATT = mean(y_t − y_c), se = sd(differences, ddof = 1)/√matched. Standardised mean differences of every
/// covariate before and after matching are the balance diagnostics.
/// </summary>
public static class PropensityMatchingEstimator
{
    public const string Name = "match";

    public static EffectEstimate Estimate(EffectData data, EffectEstimatorOptions? options = null) => Estimate(data, options, out _);

    /// <summary>As <see cref="Estimate(EffectData, EffectEstimatorOptions?)"/>; <paramref name="matches"/> holds, per treated unit in data order, the matched control's data index or −1.</summary>
    public static EffectEstimate Estimate(EffectData data, EffectEstimatorOptions? options, out int[] matches)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EffectEstimatorOptions();
        matches = [];
        if (EffectResults.Check(data) is { } reason)
        {
            return EffectResults.Withheld(data, Name, "ATT", reason);
        }

        var scores = PropensityScores.Compute(data, options, out reason);
        if (scores is null)
        {
            return EffectResults.Withheld(data, Name, "ATT", reason!);
        }

        var logit = scores.Logits;
        double caliper = options.CaliperSd * Math.Sqrt(EffectResults.Variance(logit, 1));
        var treated = Enumerable.Range(0, data.N).Where(i => data.D[i] == 1).ToArray();
        var controls = Enumerable.Range(0, data.N).Where(i => data.D[i] == 0).ToArray();
        matches = new int[treated.Length];
        Array.Fill(matches, -1);
        var order = Enumerable.Range(0, treated.Length).ToArray();
        if (!options.MatchWithReplacement)
        {
            order = [.. order.OrderByDescending(t => logit[treated[t]])];
        }

        var used = new bool[data.N];
        foreach (int t in order)
        {
            double lt = logit[treated[t]];
            int best = -1;
            double bestDistance = double.PositiveInfinity;
            foreach (int c in controls)
            {
                if (!options.MatchWithReplacement && used[c])
                {
                    continue;
                }

                double distance = Math.Abs(lt - logit[c]);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }

            if (best >= 0 && bestDistance <= caliper)
            {
                matches[t] = best;
                used[best] = true;
            }
        }

        var differences = new List<double>();
        var matchedTreated = new List<int>();
        var matchedControls = new List<int>();
        for (int t = 0; t < treated.Length; t++)
        {
            if (matches[t] >= 0)
            {
                differences.Add(data.Y[treated[t]] - data.Y[matches[t]]);
                matchedTreated.Add(treated[t]);
                matchedControls.Add(matches[t]);
            }
        }

        var diagnostics = new Dictionary<string, double>
        {
            ["caliper"] = caliper,
            ["n_matched_treated"] = differences.Count,
            ["n_distinct_controls_used"] = matchedControls.Distinct().Count(),
            ["with_replacement"] = options.MatchWithReplacement ? 1 : 0,
        };
        scores.AddDiagnostics(data.D, diagnostics);
        for (int j = 0; j < data.K; j++)
        {
            int col = j;
            diagnostics[$"smd_before_{data.Covariates[j]}"] = Smd(treated.Select(i => data.X[i][col]).ToArray(), controls.Select(i => data.X[i][col]).ToArray());
            if (differences.Count >= 2)
            {
                diagnostics[$"smd_after_{data.Covariates[j]}"] = Smd(matchedTreated.Select(i => data.X[i][col]).ToArray(), matchedControls.Select(i => data.X[i][col]).ToArray());
            }
        }

        if (differences.Count < 2)
        {
            return EffectResults.Withheld(data, Name, "ATT", $"only {differences.Count} treated unit(s) have a control within the caliper {caliper:G4}", diagnostics);
        }

        double att = EffectResults.Mean(differences);
        double se = Math.Sqrt(EffectResults.Variance(differences, 1) / differences.Count);
        return EffectResults.Make(data, Name, "ATT", att, se, diagnostics, n: differences.Count * 2, nTreated: differences.Count);
    }

    /// <summary>Standardised mean difference (m_t − m_c)/√((s_t² + s_c²)/2), ddof = 1; 0 when both variances vanish.</summary>
    public static double Smd(IReadOnlyList<double> treated, IReadOnlyList<double> control)
    {
        ArgumentNullException.ThrowIfNull(treated);
        ArgumentNullException.ThrowIfNull(control);
        double pooled = Math.Sqrt((EffectResults.Variance(treated, 1) + EffectResults.Variance(control, 1)) / 2);
        double diff = EffectResults.Mean(treated) - EffectResults.Mean(control);
        return pooled > 0 ? diff / pooled : 0;
    }
}
