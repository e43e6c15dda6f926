namespace CausalStream.Core.Stimulation;

/// <summary>
/// An effect rule: a published effect estimate whose confidence interval (or anytime-valid confidence sequence)
/// excludes zero asks for a pulse — e.g. stimulate a second site once the first site's effect is established.
/// It fires when the condition becomes true and again only after it lapsed, so a settled estimate asks once.
/// </summary>
public sealed record EffectRule
{
    public required string Name { get; init; }

    /// <summary>Estimator whose estimates are watched (e.g. aipw, dml, ipw_logged).</summary>
    public string Estimator { get; init; } = "aipw";

    /// <summary>Treatment name to match; null = any.</summary>
    public string? Treatment { get; init; }

    /// <summary>Outcome name to match; null = any.</summary>
    public string? Outcome { get; init; }

    /// <summary>positive: the interval lies above zero; negative: below; either: one of the two.</summary>
    public string Direction { get; init; } = "either";

    /// <summary>Use the confidence sequence (diagnostics cs_low/cs_high), valid under continuous monitoring, instead of the 95% CI.</summary>
    public bool UseConfidenceSequence { get; init; }

    /// <summary>Estimates in a row the condition must hold before the rule asks.</summary>
    public int ConsecutiveEstimates { get; init; } = 1;

    /// <summary>Channel to stimulate (zero-based).</summary>
    public required int StimulateChannel { get; init; }

    public double Amplitude { get; init; } = 1;

    public double DurationSeconds { get; init; } = 0.002;

    public double Probability { get; init; } = 1;
}
