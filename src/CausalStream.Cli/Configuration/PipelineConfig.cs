using CausalStream.Core.Pipeline;

namespace CausalStream.Cli.Configuration;

/// <summary>Queue sizes and policies of the pipeline runtime.</summary>
public sealed record PipelineConfig
{
    public int IngestCapacity { get; init; } = 1024;

    /// <summary>DropOldest for live sources, Wait for lossless replay.</summary>
    public EdgePolicy IngestPolicy { get; init; } = EdgePolicy.DropOldest;

    /// <summary>Seconds between health reports to the sinks.</summary>
    public double StatusIntervalSeconds { get; init; } = 1.0;
}
