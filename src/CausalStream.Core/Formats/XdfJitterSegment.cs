namespace CausalStream.Core.Formats;

/// <summary>
/// One gap-free stretch of a regular XDF stream for dejittering: sample k in [Start, Start + Count) gets the
/// timestamp Intercept + Slope·(k − Start).
/// </summary>
internal readonly record struct XdfJitterSegment(long Start, long Count, double Intercept, double Slope);
