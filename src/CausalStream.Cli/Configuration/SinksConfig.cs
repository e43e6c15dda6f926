namespace CausalStream.Cli.Configuration;

/// <summary>Which sinks receive results.</summary>
public sealed record SinksConfig
{
    public ConsoleSinkConfig Console { get; init; } = new();

    /// <summary>A JSON Lines result file; null = none.</summary>
    public JsonlSinkConfig? Jsonl { get; init; }
}
