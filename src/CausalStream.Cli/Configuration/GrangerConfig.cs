using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Cli.Configuration;

/// <summary>The live conditional Granger engine: model order, test and correction, and window weighting.</summary>
public sealed record GrangerConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Model order p, or "auto" to choose it on the first window with <see cref="Criterion"/>.</summary>
    public MaxLagSetting MaxLag { get; init; } = new(5);

    /// <summary>Largest order tried by "auto".</summary>
    public int MaxLagLimit { get; init; } = 10;

    public OrderCriterion Criterion { get; init; } = OrderCriterion.Bic;

    /// <summary>Significance level of the adjusted p-values.</summary>
    public double Alpha { get; init; } = 0.05;

    public MultipleTestCorrection Correction { get; init; } = MultipleTestCorrection.BenjaminiHochberg;

    /// <summary>systemWide (statsmodels' test_causality) or singleEquation (F(p, nobs − C·p − 1)).</summary>
    public FTestDenominator FTest { get; init; } = FTestDenominator.SystemWide;

    /// <summary>Exponential forgetting factor in (0, 1) instead of the hard window; null keeps the hard window.</summary>
    public double? ForgettingFactor { get; init; }

    /// <summary>Stream to analyse; null = the source's first regular stream.</summary>
    public string? Stream { get; init; }
}
