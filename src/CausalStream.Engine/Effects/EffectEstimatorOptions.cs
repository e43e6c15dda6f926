namespace CausalStream.Engine.Effects;

/// <summary>Settings shared by the effect estimators; the defaults match the stored peer references.</summary>
public sealed record EffectEstimatorOptions
{
    /// <summary>Propensities are clipped to [ClipLow, 1 − ClipLow] (the number clipped is reported); 0 turns clipping off.</summary>
    public double ClipLow { get; init; } = 0.01;

    /// <summary>Use the logged propensity column instead of fitting the logistic model when the data has one.</summary>
    public bool UseLoggedPropensity { get; init; } = true;

    /// <summary>Inverse L2 strength C of the propensity model (penalty ½‖w‖²/C); null = unpenalised maximum likelihood.</summary>
    public double? PropensityC { get; init; }

    /// <summary>Ridge α of the DML nuisance regressions; 0 = OLS.</summary>
    public double RidgeAlpha { get; init; }

    /// <summary>Matching caliper in standard deviations of the logit (ddof = 1).</summary>
    public double CaliperSd { get; init; } = 0.2;

    /// <summary>Matching with replacement (a control may serve several treated units) or greedy without.</summary>
    public bool MatchWithReplacement { get; init; } = true;

    /// <summary>Coverage miscoverage α of the anytime-valid confidence sequence.</summary>
    public double SequenceAlpha { get; init; } = 0.05;
}
