namespace CausalStream.Core.Stimulation;

/// <summary>
/// A request to deliver one stimulation pulse: which channel, how strong, how long, and why.
/// Consumed by stimulation outputs and by the simulator, which feeds it into its network.
/// </summary>
/// <param name="Channel">Zero-based index of the stimulated channel (electrode).</param>
/// <param name="Amplitude">Pulse amplitude in the channel's units.</param>
/// <param name="DurationSeconds">Pulse width in seconds; the simulator rounds it to whole samples (at least one).</param>
/// <param name="IssuedAt">Source-clock time the decision was made, in seconds.</param>
/// <param name="Reason">Which rule or operator asked for it.</param>
public sealed record StimulationCommand(int Channel, double Amplitude, double DurationSeconds, double IssuedAt, string Reason);
