using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>Runs one estimator or all of them by name (diff, ipw, match, aipw, dml, all) on one sample.</summary>
public static class EffectSuite
{
    /// <summary>The accepted estimator names.</summary>
    public static readonly IReadOnlyList<string> Names = ["diff", "ipw", "match", "aipw", "dml", "all"];

    public static IReadOnlyList<EffectEstimate> Run(EffectData data, string estimator, EffectEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EffectEstimatorOptions();
        var results = new List<EffectEstimate>();
        bool all = estimator == "all";
        if (all || estimator == DifferenceInMeansEstimator.Name)
        {
            results.Add(DifferenceInMeansEstimator.Estimate(data));
        }

        if (all || estimator == IpwEstimator.Name)
        {
            results.Add(IpwEstimator.Estimate(data, options));
        }

        if (all || estimator == PropensityMatchingEstimator.Name)
        {
            results.Add(PropensityMatchingEstimator.Estimate(data, options));
        }

        if (all || estimator == AipwEstimator.Name)
        {
            results.Add(AipwEstimator.Estimate(data, options));
            if (data.Folds is not null)
            {
                results.Add(AipwEstimator.EstimateCrossFitted(data, options));
            }
        }

        if (all || estimator == DmlPlrEstimator.Name)
        {
            results.Add(DmlPlrEstimator.Estimate(data, options));
        }

        if (results.Count == 0)
        {
            throw new ArgumentException($"unknown estimator '{estimator}'; use {string.Join(", ", Names)}", nameof(estimator));
        }

        return results;
    }
}
