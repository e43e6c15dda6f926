namespace CausalStream.Core.Formats;

/// <summary>One EDF+ annotation from a TAL: onset (seconds after the header's start time), duration (NaN when absent) and text.</summary>
public sealed record EdfAnnotation(double Onset, double Duration, string Text);
