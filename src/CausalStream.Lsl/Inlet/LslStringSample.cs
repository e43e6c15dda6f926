namespace CausalStream.Lsl.Inlet;

/// <summary>One sample of a string (marker) stream: its (optionally time-corrected) timestamp and one string per channel.</summary>
/// <param name="Timestamp">Seconds on the outlet clock, or the local clock when time correction is applied.</param>
/// <param name="Values">One value per channel.</param>
public sealed record LslStringSample(double Timestamp, IReadOnlyList<string> Values);
