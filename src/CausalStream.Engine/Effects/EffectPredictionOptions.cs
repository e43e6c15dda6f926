namespace CausalStream.Engine.Effects;

/// <summary>
/// Settings of the predicted effect an <see cref="EffectStage"/> publishes beside the measured one: the pulse to
/// predict (channel, size, width), the VAR order and the window it is fitted on, how often, and the horizon.
/// </summary>
public sealed record EffectPredictionOptions
{
    /// <summary>Intervened channel (zero-based).</summary>
    public required int Channel { get; init; }

    /// <summary>Pulse size u.</summary>
    public required double Amplitude { get; init; }

    /// <summary>Pulse width in seconds (rounded to whole samples, at least one, as the simulator does).</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>VAR order of the fitted model.</summary>
    public int Lags { get; init; } = 3;

    /// <summary>Length of the fitting window, in seconds of the most recent samples.</summary>
    public double WindowSeconds { get; init; } = 10;

    /// <summary>Source seconds between predictions.</summary>
    public double EverySeconds { get; init; } = 5;

    /// <summary>Predicted response length, in seconds after the pulse onset.</summary>
    public double HorizonSeconds { get; init; } = 0.1;
}
