using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Graphs;

/// <summary>Settings for one Granger solve: significance level, multiple-test correction, F denominator and the ridge used for near-singular Gram matrices.</summary>
public sealed record GrangerOptions
{
    /// <summary>The defaults: alpha 0.05, Benjamini–Hochberg, statsmodels' system-wide F denominator.</summary>
    public static GrangerOptions Default { get; } = new();

    /// <summary>An edge is significant when its adjusted p-value is at most this.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Adjustment across the C(C−1) pair tests.</summary>
    public MultipleTestCorrection Correction { get; init; } = MultipleTestCorrection.BenjaminiHochberg;

    /// <summary>Denominator degrees of freedom of the F test.</summary>
    public FTestDenominator Denominator { get; init; } = FTestDenominator.SystemWide;

    /// <summary>
    /// A Cholesky pivot at or below this fraction of its diagonal entry marks the Gram matrix near-singular
    /// (a regressor explained by the others to 1 − tolerance).
    /// </summary>
    public double SingularityTolerance { get; init; } = 1e-11;

    /// <summary>
    /// On near-singularity, RidgeFactor × (mean diagonal of the lag regressors) is added to every lag regressor's
    /// diagonal (the intercept is not penalised); if the factor still fails it grows 100-fold, up to five times.
    /// </summary>
    public double RidgeFactor { get; init; } = 1e-8;

    /// <summary>
    /// The target channels whose equations are tested; null tests every target. A sharded worker sets its share:
    /// the result then holds pair tests only into these targets, adjusted for multiple testing over those pairs
    /// alone, so an aggregator re-adjusts the merged pairs.
    /// </summary>
    public IReadOnlyList<int>? TargetChannels { get; init; }
}
