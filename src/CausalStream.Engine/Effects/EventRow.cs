namespace CausalStream.Engine.Effects;

/// <summary>
/// One row of an event table: an event's covariates from the pre-event window, its treatment, its outcome from the
/// post-event window and its logged propensity. A row that cannot be measured (missing covariates, an outcome
/// window past the end of the data) keeps the reason in <see cref="WithheldReason"/> and is left out of estimates.
/// </summary>
public sealed record EventRow
{
    /// <summary>Source time of the event sample, in seconds.</summary>
    public required double Time { get; init; }

    /// <summary>Treatment: 1 stimulated, 0 not (or a dose).</summary>
    public required double Treatment { get; init; }

    /// <summary>The logged probability of treatment, when the controller randomised.</summary>
    public double? Propensity { get; init; }

    /// <summary>Covariate values in the order of <see cref="EventTableBuilder.CovariateNames"/>; empty when withheld.</summary>
    public double[] Covariates { get; init; } = [];

    /// <summary>The outcome; NaN when withheld.</summary>
    public double Outcome { get; init; } = double.NaN;

    /// <summary>Rule or marker that produced the event.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Why the row cannot be used; null when it can.</summary>
    public string? WithheldReason { get; init; }

    /// <summary>True when the row was withheld.</summary>
    public bool IsWithheld => WithheldReason is not null;
}
