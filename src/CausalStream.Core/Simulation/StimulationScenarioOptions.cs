using System.Globalization;

namespace CausalStream.Core.Simulation;

/// <summary>
/// Settings of a <see cref="StimulationScenario"/>: how often the controller has an opportunity to stimulate,
/// the pulse it delivers, and how strongly its stimulation probability depends on the recent amplitude of a
/// confounder channel. With <see cref="ConfoundingStrength"/> = 0 the experiment is randomised with a constant
/// probability; otherwise it is confounded and the naive difference in means is biased.
/// </summary>
public sealed record StimulationScenarioOptions
{
    /// <summary>Channel that receives the pulses.</summary>
    public int StimulatedChannel { get; init; }

    /// <summary>Pulse amplitude (added to the channel's drive).</summary>
    public double Amplitude { get; init; } = 3;

    /// <summary>Pulse width in samples.</summary>
    public int DurationSamples { get; init; } = 2;

    /// <summary>Samples between opportunities (plus a uniform jitter of up to <see cref="JitterSamples"/>).</summary>
    public int SpacingSamples { get; init; } = 250;

    /// <summary>Largest extra random spacing, in samples.</summary>
    public int JitterSamples { get; init; } = 50;

    /// <summary>Samples generated before the first opportunity (burn-in of the VAR state).</summary>
    public int BurnInSamples { get; init; } = 500;

    /// <summary>Channel whose recent amplitude drives the stimulation probability (the confounder).</summary>
    public int ConfounderChannel { get; init; }

    /// <summary>Samples, ending at the decision sample, over which the confounder's mean amplitude is taken.</summary>
    public int ConfounderWindowSamples { get; init; } = 5;

    /// <summary>Stimulation probability when the confounder is at zero.</summary>
    public double BaseProbability { get; init; } = 0.5;

    /// <summary>Change of the log-odds of stimulation per stationary standard deviation of the confounder; 0 = randomised.</summary>
    public double ConfoundingStrength { get; init; } = 1.5;

    /// <summary>Probabilities are kept in [MinProbability, 1 − MinProbability] so every event has overlap.</summary>
    public double MinProbability { get; init; } = 0.05;

    /// <summary>Seed of the opportunity jitter and of the randomisation draws (the signal has its own seed).</summary>
    public int Seed { get; init; } = 11;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate(int channels)
    {
        Require(StimulatedChannel >= 0 && StimulatedChannel < channels, nameof(StimulatedChannel), $"must be in 0..{channels - 1} (was {StimulatedChannel})");
        Require(ConfounderChannel >= 0 && ConfounderChannel < channels, nameof(ConfounderChannel), $"must be in 0..{channels - 1} (was {ConfounderChannel})");
        Require(double.IsFinite(Amplitude), nameof(Amplitude), "must be finite");
        Require(DurationSamples >= 1, nameof(DurationSamples), $"must be at least 1 (was {DurationSamples})");
        Require(SpacingSamples >= 1, nameof(SpacingSamples), $"must be at least 1 (was {SpacingSamples})");
        Require(JitterSamples >= 0, nameof(JitterSamples), $"must be >= 0 (was {JitterSamples})");
        Require(BurnInSamples >= ConfounderWindowSamples, nameof(BurnInSamples), $"must be at least ConfounderWindowSamples ({ConfounderWindowSamples})");
        Require(ConfounderWindowSamples >= 1, nameof(ConfounderWindowSamples), $"must be at least 1 (was {ConfounderWindowSamples})");
        Require(BaseProbability > 0 && BaseProbability < 1, nameof(BaseProbability), $"must be in (0, 1) (was {BaseProbability.ToString(CultureInfo.InvariantCulture)})");
        Require(double.IsFinite(ConfoundingStrength), nameof(ConfoundingStrength), "must be finite");
        Require(MinProbability > 0 && MinProbability < 0.5, nameof(MinProbability), $"must be in (0, 0.5) (was {MinProbability.ToString(CultureInfo.InvariantCulture)})");
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"StimulationScenarioOptions.{field} {message}.", field);
        }
    }
}
