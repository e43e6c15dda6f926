namespace CausalStream.Engine.Effects;

/// <summary>
/// The output of <see cref="InterventionPredictor"/>: the predicted response (row-major, sample t, channel c at
/// <c>t · C + c</c>), its standard errors, and the predicted effect on a summary outcome with its standard error.
/// When the coefficient covariance cannot be formed, the errors are null and <see cref="WithheldReason"/> says why.
/// </summary>
public sealed record InterventionResult(double[] Response, double[]? StandardError, double? OutcomeEffect, double? OutcomeEffectSe, string? WithheldReason);
