namespace CausalStream.Core.Stimulation;

/// <summary>
/// A rule's wish to stimulate, with what it saw: the controller decides and logs it.
/// </summary>
/// <param name="Rule">Name of the rule that fired.</param>
/// <param name="Channel">Channel to stimulate.</param>
/// <param name="Amplitude">Pulse amplitude.</param>
/// <param name="DurationSeconds">Pulse width in seconds.</param>
/// <param name="Probability">Chance of stimulating once every interlock passed (1 = always); logged as the propensity.</param>
/// <param name="SourceTime">Source time of the newest sample the rule used (seconds).</param>
/// <param name="ArrivalTicks">Monotonic arrival of that sample, for latency.</param>
/// <param name="Inputs">What the rule saw (feature value, edge weight, threshold), for the audit log.</param>
public sealed record StimulationRequest(
    string Rule,
    int Channel,
    double Amplitude,
    double DurationSeconds,
    double Probability,
    double SourceTime,
    long ArrivalTicks,
    string Inputs);
