namespace CausalStream.Cli.Configuration;

/// <summary>Which sinks receive results.</summary>
public sealed record SinksConfig
{
    public ConsoleSinkConfig Console { get; init; } = new();

    /// <summary>A JSON Lines result file; null = none.</summary>
    public JsonlSinkConfig? Jsonl { get; init; }

    /// <summary>The live web dashboard; null = none.</summary>
    public DashboardSinkConfig? Dashboard { get; init; }

    /// <summary>LSL outlets for graphs and markers, so other lab tools receive results; null = none.</summary>
    public CausalStream.Lsl.Pipeline.LslSinkOptions? Lsl { get; init; }

    /// <summary>Results as JSON on a Kafka topic (docs/kafka.md); null = none.</summary>
    public KafkaSinkConfig? Kafka { get; init; }
}
