namespace CausalStream.Core.Stimulation;

/// <summary>
/// Interlocks that no rule can override: pulse-rate limits, refractory period, amplitude and dose bounds, the
/// stale-data watchdog, arming and dry-run. Checked on every request, in that order, before any randomisation.
/// </summary>
public sealed record StimulationSafety
{
    /// <summary>Most pulses in any sliding one-second span.</summary>
    public int MaxPulsesPerSecond { get; init; } = 5;

    /// <summary>Most pulses in any sliding sixty-second span.</summary>
    public int MaxPulsesPerMinute { get; init; } = 120;

    /// <summary>Least time between the end of one pulse decision and the next, in seconds.</summary>
    public double RefractorySeconds { get; init; } = 0.1;

    /// <summary>Largest absolute pulse amplitude accepted.</summary>
    public double MaxAmplitude { get; init; } = 5;

    /// <summary>Longest pulse accepted, in seconds.</summary>
    public double MaxDurationSeconds { get; init; } = 0.01;

    /// <summary>Largest total dose (Σ |amplitude| × duration) delivered in any sliding sixty-second span.</summary>
    public double MaxDosePerMinute { get; init; } = 1;

    /// <summary>No fresh samples for this long stops stimulation and disarms the controller.</summary>
    public double StaleDataSeconds { get; init; } = 0.5;

    /// <summary>Whether the controller starts armed. A disarmed controller emits nothing.</summary>
    public bool Armed { get; init; }

    /// <summary>Decide and log everything, deliver nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first impossible setting.</summary>
    public void Validate()
    {
        Check(MaxPulsesPerSecond >= 0, nameof(MaxPulsesPerSecond), $"must be >= 0 (was {MaxPulsesPerSecond})");
        Check(MaxPulsesPerMinute >= 0, nameof(MaxPulsesPerMinute), $"must be >= 0 (was {MaxPulsesPerMinute})");
        Check(MaxPulsesPerMinute <= 100_000, nameof(MaxPulsesPerMinute), $"must be at most 100000 (was {MaxPulsesPerMinute})");
        Check(double.IsFinite(RefractorySeconds) && RefractorySeconds >= 0, nameof(RefractorySeconds), $"must be finite and >= 0 (was {RefractorySeconds})");
        Check(double.IsFinite(MaxAmplitude) && MaxAmplitude >= 0, nameof(MaxAmplitude), $"must be finite and >= 0 (was {MaxAmplitude})");
        Check(double.IsFinite(MaxDurationSeconds) && MaxDurationSeconds > 0, nameof(MaxDurationSeconds), $"must be finite and > 0 (was {MaxDurationSeconds})");
        Check(double.IsFinite(MaxDosePerMinute) && MaxDosePerMinute >= 0, nameof(MaxDosePerMinute), $"must be finite and >= 0 (was {MaxDosePerMinute})");
        Check(double.IsFinite(StaleDataSeconds) && StaleDataSeconds > 0, nameof(StaleDataSeconds), $"must be finite and > 0 (was {StaleDataSeconds})");
    }

    private static void Check(bool condition, string field, string reason)
    {
        if (!condition)
        {
            throw new ArgumentException($"{field} {reason}", field);
        }
    }
}
