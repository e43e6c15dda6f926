namespace CausalStream.Core.Simulation;

/// <summary>
/// A sinusoidal drive added to one channel's innovation, so the rhythm is shaped by the channel's own
/// dynamics and propagates along its outgoing edges (like an oscillatory input to a brain area).
/// </summary>
/// <param name="Channel">Zero-based index of the driven channel.</param>
/// <param name="FrequencyHz">Frequency in Hz, strictly between 0 and the Nyquist frequency.</param>
/// <param name="Amplitude">Amplitude of the sinusoid added to the innovation.</param>
/// <param name="PhaseRadians">Phase at sample 0.</param>
public sealed record RhythmDrive(int Channel, double FrequencyHz, double Amplitude, double PhaseRadians = 0);
