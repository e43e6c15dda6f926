namespace CausalStream.Cli.Configuration;

/// <summary>
/// engine.effects.prediction: the VAR-predicted effect of the stimulation rule's pulse, published beside the
/// measured effect (estimator <c>var_prediction</c>, and the full predicted response as a "prediction" result).
/// </summary>
public sealed record EffectPredictionConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>VAR order of the fitted model.</summary>
    public int Lags { get; init; } = 3;

    /// <summary>Seconds of the most recent samples the model is fitted on.</summary>
    public double WindowSeconds { get; init; } = 10;

    /// <summary>Source seconds between predictions.</summary>
    public double EverySeconds { get; init; } = 5;

    /// <summary>Length of the predicted response, in seconds.</summary>
    public double HorizonSeconds { get; init; } = 0.1;
}
