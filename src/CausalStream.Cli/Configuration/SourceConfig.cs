using CausalStream.Core.Simulation;

namespace CausalStream.Cli.Configuration;

/// <summary>Where the samples come from; exactly one kind is set.</summary>
public sealed record SourceConfig
{
    /// <summary>The built-in VAR network simulator.</summary>
    public SimulatorOptions? Simulator { get; init; }

    /// <summary>An LSL stream found by query, name or source_id (docs/lsl.md).</summary>
    public CausalStream.Lsl.Pipeline.LslSourceOptions? Lsl { get; init; }

    /// <summary>Chunk messages from a Kafka topic, read in a consumer group (docs/kafka.md).</summary>
    public KafkaSourceConfig? Kafka { get; init; }
}
