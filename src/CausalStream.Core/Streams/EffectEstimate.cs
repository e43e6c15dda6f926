namespace CausalStream.Core.Streams;

/// <summary>
/// One treatment-effect estimate (difference in means, IPW, AIPW, DML, matching): the point estimate, its
/// standard error and 95% interval, the sample it used and the estimator's diagnostics. When the input cannot
/// support the estimator (no treated or no control units, perfect separation, missing covariates) the estimate
/// is withheld: <see cref="Estimate"/> and the interval are null and <see cref="WithheldReason"/> says why.
/// </summary>
public sealed record EffectEstimate : PipelineResult
{
    /// <summary>Name of the treatment column or stream.</summary>
    public required string Treatment { get; init; }

    /// <summary>Name of the outcome column or stream.</summary>
    public required string Outcome { get; init; }

    /// <summary>Estimator identifier, e.g. <c>diff</c>, <c>ipw_hajek</c>, <c>aipw</c>, <c>dml_plr</c>, <c>match</c>.</summary>
    public required string Estimator { get; init; }

    /// <summary><c>ATE</c> or <c>ATT</c>.</summary>
    public required string Estimand { get; init; }

    /// <summary>The point estimate; null when withheld.</summary>
    public double? Estimate { get; init; }

    /// <summary>Standard error; null when withheld.</summary>
    public double? StandardError { get; init; }

    /// <summary>Lower end of the 95% confidence interval (estimate − 1.959963984540054·se).</summary>
    public double? CiLow { get; init; }

    /// <summary>Upper end of the 95% confidence interval.</summary>
    public double? CiHigh { get; init; }

    /// <summary>Units used.</summary>
    public int N { get; init; }

    /// <summary>Treated units among <see cref="N"/>.</summary>
    public int NTreated { get; init; }

    /// <summary>Why no estimate was produced; null when there is one.</summary>
    public string? WithheldReason { get; init; }

    /// <summary>Named diagnostics (clipped count, propensity range, effective sample sizes, SMDs, ...).</summary>
    public IReadOnlyDictionary<string, double> Diagnostics { get; init; } = new Dictionary<string, double>();

    /// <summary>Source time (seconds) of the newest event the estimate used; null for tables without times.</summary>
    public double? SourceTime { get; init; }

    /// <summary>True when the estimate was withheld.</summary>
    public bool IsWithheld => WithheldReason is not null;
}
