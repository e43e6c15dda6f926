using System.Globalization;

namespace CausalStream.Core.Simulation;

/// <summary>
/// Settings of the built-in simulator: the size and randomness of the VAR network, noise levels, rhythmic
/// drives, scheduled regime changes and how the samples are streamed. Defaults give a small brain-like
/// 8-channel LFP network at 500 Hz streamed in real time; <see cref="Validate"/> names the offending field.
/// </summary>
public sealed record SimulatorOptions
{
    /// <summary>Number of channels (network nodes).</summary>
    public int Channels { get; init; } = 8;

    /// <summary>Samples per second of the data stream.</summary>
    public double SampleRate { get; init; } = 500;

    /// <summary>Model order p: the largest lag, in samples, of any coefficient.</summary>
    public int MaxLag { get; init; } = 3;

    /// <summary>Seed of the random graph and of the noise; the same seed gives the same samples.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Fraction of ordered channel pairs that get a cross edge (used when <see cref="CrossEdges"/> is null).</summary>
    public double EdgeDensity { get; init; } = 0.15;

    /// <summary>Exact number of random cross edges; overrides <see cref="EdgeDensity"/> when set.</summary>
    public int? CrossEdges { get; init; }

    /// <summary>Smallest magnitude of a random cross-edge coefficient (before stability scaling).</summary>
    public double CrossCoefficientMin { get; init; } = 0.1;

    /// <summary>Largest magnitude of a random cross-edge coefficient (before stability scaling); signs are random.</summary>
    public double CrossCoefficientMax { get; init; } = 0.4;

    /// <summary>Smallest pole radius of a channel's own autoregressive oscillator (closer to 1 = narrower rhythm).</summary>
    public double SelfPoleRadiusMin { get; init; } = 0.85;

    /// <summary>Largest pole radius of a channel's own autoregressive oscillator; must stay below <see cref="MaxSpectralRadius"/>.</summary>
    public double SelfPoleRadiusMax { get; init; } = 0.95;

    /// <summary>Lowest resonance frequency (Hz) of a channel's own oscillator (used when <see cref="MaxLag"/> ≥ 2).</summary>
    public double SelfFrequencyMinHz { get; init; } = 4;

    /// <summary>Highest resonance frequency (Hz) of a channel's own oscillator; must be below the Nyquist frequency.</summary>
    public double SelfFrequencyMaxHz { get; init; } = 40;

    /// <summary>Cross edges are scaled down until the companion matrix's spectral radius is at most this.</summary>
    public double MaxSpectralRadius { get; init; } = 0.98;

    /// <summary>Standard deviation of the white Gaussian innovation of every channel.</summary>
    public double InnovationSd { get; init; } = 1;

    /// <summary>Standard deviation of white Gaussian noise added to the output (not fed back into the network).</summary>
    public double MeasurementNoiseSd { get; init; } = 0.05;

    /// <summary>Sinusoidal drives added to channels' innovations.</summary>
    public IReadOnlyList<RhythmDrive> Rhythms { get; init; } = [];

    /// <summary>Edges switched on and off at given times (regime changes).</summary>
    public IReadOnlyList<ScheduledEdge> EdgeSchedule { get; init; } = [];

    /// <summary>Samples per emitted chunk (10 at 500 Hz = 20 ms).</summary>
    public int ChunkSize { get; init; } = 10;

    /// <summary>True: emit each chunk when the wall clock reaches its end time; false: as fast as the output accepts.</summary>
    public bool Paced { get; init; } = true;

    /// <summary>Total samples to produce before <c>RunAsync</c> returns; null runs until cancelled.</summary>
    public long? MaxSamples { get; init; }

    /// <summary>Source timestamp (seconds) of the first sample.</summary>
    public double StartTime { get; init; }

    /// <summary>Name of the data stream; the marker stream is called <c>&lt;name&gt;-markers</c>.</summary>
    public string StreamName { get; init; } = "sim";

    /// <summary>Most stimulation pulses that may wait for delivery; further requests are refused.</summary>
    public int StimulationQueueCapacity { get; init; } = 64;

    /// <summary>Number of random cross edges this configuration asks for.</summary>
    public int EffectiveCrossEdges
    {
        get
        {
            if (CrossEdges is int count)
            {
                return count;
            }

            int pairs = Channels * (Channels - 1);
            if (pairs <= 0 || EdgeDensity <= 0)
            {
                return 0;
            }

            return Math.Clamp((int)Math.Round(EdgeDensity * pairs), 1, pairs);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        Require(Channels >= 1, nameof(Channels), $"must be at least 1 (was {Channels})");
        Require(double.IsFinite(SampleRate) && SampleRate > 0, nameof(SampleRate), $"must be finite and positive (was {Format(SampleRate)})");
        Require(MaxLag >= 1, nameof(MaxLag), $"must be at least 1 (was {MaxLag})");
        Require(double.IsFinite(EdgeDensity) && EdgeDensity >= 0 && EdgeDensity <= 1, nameof(EdgeDensity), $"must be in [0, 1] (was {Format(EdgeDensity)})");
        int pairs = Channels * (Channels - 1);
        Require(CrossEdges is null || (CrossEdges >= 0 && CrossEdges <= pairs), nameof(CrossEdges), $"must be between 0 and {pairs} (the ordered channel pairs) (was {CrossEdges})");
        Require(double.IsFinite(CrossCoefficientMin) && CrossCoefficientMin >= 0, nameof(CrossCoefficientMin), $"must be finite and >= 0 (was {Format(CrossCoefficientMin)})");
        Require(double.IsFinite(CrossCoefficientMax) && CrossCoefficientMax >= CrossCoefficientMin, nameof(CrossCoefficientMax), $"must be finite and >= CrossCoefficientMin (was {Format(CrossCoefficientMax)})");
        Require(double.IsFinite(MaxSpectralRadius) && MaxSpectralRadius > 0 && MaxSpectralRadius < 1, nameof(MaxSpectralRadius), $"must be in (0, 1) (was {Format(MaxSpectralRadius)})");
        Require(double.IsFinite(SelfPoleRadiusMin) && SelfPoleRadiusMin >= 0, nameof(SelfPoleRadiusMin), $"must be finite and >= 0 (was {Format(SelfPoleRadiusMin)})");
        Require(double.IsFinite(SelfPoleRadiusMax) && SelfPoleRadiusMax >= SelfPoleRadiusMin && SelfPoleRadiusMax < MaxSpectralRadius, nameof(SelfPoleRadiusMax), $"must be >= SelfPoleRadiusMin and < MaxSpectralRadius ({Format(MaxSpectralRadius)}) (was {Format(SelfPoleRadiusMax)})");
        double nyquist = SampleRate / 2;
        Require(double.IsFinite(SelfFrequencyMinHz) && SelfFrequencyMinHz >= 0, nameof(SelfFrequencyMinHz), $"must be finite and >= 0 (was {Format(SelfFrequencyMinHz)})");
        Require(double.IsFinite(SelfFrequencyMaxHz) && SelfFrequencyMaxHz >= SelfFrequencyMinHz && SelfFrequencyMaxHz < nyquist, nameof(SelfFrequencyMaxHz), $"must be >= SelfFrequencyMinHz and below the Nyquist frequency {Format(nyquist)} Hz (was {Format(SelfFrequencyMaxHz)})");
        Require(double.IsFinite(InnovationSd) && InnovationSd >= 0, nameof(InnovationSd), $"must be finite and >= 0 (was {Format(InnovationSd)})");
        Require(double.IsFinite(MeasurementNoiseSd) && MeasurementNoiseSd >= 0, nameof(MeasurementNoiseSd), $"must be finite and >= 0 (was {Format(MeasurementNoiseSd)})");
        Require(ChunkSize >= 1, nameof(ChunkSize), $"must be at least 1 (was {ChunkSize})");
        Require(MaxSamples is null || MaxSamples >= 0, nameof(MaxSamples), $"must be null or >= 0 (was {MaxSamples})");
        Require(double.IsFinite(StartTime), nameof(StartTime), $"must be finite (was {Format(StartTime)})");
        Require(!string.IsNullOrWhiteSpace(StreamName), nameof(StreamName), "must not be empty");
        Require(StimulationQueueCapacity >= 1, nameof(StimulationQueueCapacity), $"must be at least 1 (was {StimulationQueueCapacity})");
        Require(Rhythms is not null, nameof(Rhythms), "must not be null (use an empty list)");
        Require(EdgeSchedule is not null, nameof(EdgeSchedule), "must not be null (use an empty list)");

        for (int i = 0; i < Rhythms!.Count; i++)
        {
            var r = Rhythms[i];
            string field = $"{nameof(Rhythms)}[{i}]";
            Require(r is not null, field, "must not be null");
            Require(r!.Channel >= 0 && r.Channel < Channels, field, $"channel {r.Channel} is outside 0..{Channels - 1}");
            Require(double.IsFinite(r.FrequencyHz) && r.FrequencyHz > 0 && r.FrequencyHz < nyquist, field, $"frequency {Format(r.FrequencyHz)} Hz must be in (0, {Format(nyquist)}) Hz");
            Require(double.IsFinite(r.Amplitude), field, $"amplitude {Format(r.Amplitude)} must be finite");
            Require(double.IsFinite(r.PhaseRadians), field, $"phase {Format(r.PhaseRadians)} must be finite");
        }

        for (int i = 0; i < EdgeSchedule!.Count; i++)
        {
            var e = EdgeSchedule[i];
            string field = $"{nameof(EdgeSchedule)}[{i}]";
            Require(e is not null, field, "must not be null");
            Require(e!.Source >= 0 && e.Source < Channels, field, $"source {e.Source} is outside 0..{Channels - 1}");
            Require(e.Target >= 0 && e.Target < Channels, field, $"target {e.Target} is outside 0..{Channels - 1}");
            Require(e.Lag >= 1 && e.Lag <= MaxLag, field, $"lag {e.Lag} is outside 1..{MaxLag} (MaxLag)");
            Require(double.IsFinite(e.Coefficient), field, $"coefficient {Format(e.Coefficient)} must be finite");
            Require(double.IsFinite(e.OnAt) && e.OnAt >= 0, field, $"OnAt {Format(e.OnAt)} must be finite and >= 0");
            Require(e.OffAt is null || (double.IsFinite(e.OffAt.Value) && e.OffAt.Value > e.OnAt), field, $"OffAt {Format(e.OffAt ?? 0)} must be finite and after OnAt {Format(e.OnAt)}");
        }
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"SimulatorOptions.{field} {message}.", field);
        }
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
