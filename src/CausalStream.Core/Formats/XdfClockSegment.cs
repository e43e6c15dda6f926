namespace CausalStream.Core.Formats;

/// <summary>
/// One stretch of an XDF stream between clock resets: samples at or after <see cref="StartPosition"/> (a byte
/// offset) and before the next segment are mapped as t + Intercept + Slope·t.
/// </summary>
internal readonly record struct XdfClockSegment(long StartPosition, double Intercept, double Slope);
