namespace CausalStream.Core.Stimulation;

/// <summary>One adjustable rule threshold as an operator surface shows it: the rule, what it watches, and the level now in force.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Feature">What the rule watches (bandPower, value, phase).</param>
/// <param name="Channel">The watched channel.</param>
/// <param name="Threshold">The threshold in force.</param>
public sealed record RuleThreshold(string Rule, string Feature, int Channel, double Threshold);
