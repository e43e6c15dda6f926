namespace CausalStream.Core.Streams;

/// <summary>
/// The predicted response of every channel to an intervention do(pulse of size u on one channel), computed from a
/// fitted VAR model, with the standard error of every point: the model's answer to "what would stimulating here
/// do", published beside the measured effect so the two can be compared.
/// </summary>
public sealed record InterventionPrediction : PipelineResult
{
    /// <summary>The analysed stream.</summary>
    public required string Stream { get; init; }

    /// <summary>Channel labels; responses are indexed by channel in this order.</summary>
    public required IReadOnlyList<string> Channels { get; init; }

    /// <summary>Intervened channel (zero-based).</summary>
    public required int Channel { get; init; }

    /// <summary>Pulse size u added to the channel while the pulse lasts.</summary>
    public required double Amplitude { get; init; }

    /// <summary>Pulse width in samples.</summary>
    public required int DurationSamples { get; init; }

    /// <summary>Sample index of the pulse onset in <see cref="Response"/> (1 when times count from the decision sample, as in the simulator).</summary>
    public int OnsetSample { get; init; }

    /// <summary>Samples per second (response index t is t / rate seconds after the decision sample).</summary>
    public required double SampleRate { get; init; }

    /// <summary>Number of predicted samples h.</summary>
    public required int Horizon { get; init; }

    /// <summary>Predicted response, row-major: sample t, channel c at <c>t · Channels.Count + c</c>.</summary>
    public required IReadOnlyList<double> Response { get; init; }

    /// <summary>Standard error of each response value (same layout).</summary>
    public required IReadOnlyList<double> StandardError { get; init; }

    /// <summary>How the standard errors were obtained, e.g. <c>delta</c>.</summary>
    public string Method { get; init; } = "delta";

    /// <summary>VAR order of the fitted model.</summary>
    public int Lags { get; init; }

    /// <summary>Source time of the newest sample of the fitting window (seconds).</summary>
    public double SourceTime { get; init; }

    /// <summary>The predicted effect on a summary outcome (e.g. mean amplitude over a latency range), when one is set.</summary>
    public double? OutcomeEffect { get; init; }

    /// <summary>Standard error of <see cref="OutcomeEffect"/>.</summary>
    public double? OutcomeEffectSe { get; init; }

    /// <summary>Name of the summary outcome.</summary>
    public string? Outcome { get; init; }
}
