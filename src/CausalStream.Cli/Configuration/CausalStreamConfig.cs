namespace CausalStream.Cli.Configuration;

/// <summary>The whole configuration of a <c>causalstream run</c>, as read from JSON under config/.</summary>
public sealed record CausalStreamConfig
{
    public LoggingConfig Logging { get; init; } = new();

    public PipelineConfig Pipeline { get; init; } = new();

    public required SourceConfig Source { get; init; }

    public required WindowConfig Window { get; init; }

    public EngineConfig Engine { get; init; } = new();

    public SinksConfig Sinks { get; init; } = new();

    /// <summary>The closed-loop stimulation controller; null = none.</summary>
    public StimulationConfig? Stimulation { get; init; }
}
