namespace CausalStream.Cli.Configuration;

/// <summary>The analyses that run on the windows.</summary>
public sealed record EngineConfig
{
    /// <summary>Conditional Granger causality; null or enabled=false turns it off.</summary>
    public GrangerConfig? Granger { get; init; }
}
