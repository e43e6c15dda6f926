namespace CausalStream.Core.Simulation;

/// <summary>One stimulation opportunity of a <see cref="StimulationScenario"/>: when it happened, the state that drove the decision, and the decision.</summary>
/// <param name="SampleIndex">Index of the decision sample (the newest sample the controller saw); a pulse starts at the next sample.</param>
/// <param name="Time">Source time of the decision sample in seconds.</param>
/// <param name="Treated">True when the pulse was delivered.</param>
/// <param name="Propensity">The probability of stimulating that was used (logged, so it is known exactly).</param>
/// <param name="Confounder">Mean amplitude of the confounder channel over its window ending at the decision sample.</param>
public readonly record struct ScenarioEvent(long SampleIndex, double Time, bool Treated, double Propensity, double Confounder);
