using CausalStream.Core.Simulation;

namespace CausalStream.Cli.Configuration;

/// <summary>Where the samples come from; exactly one kind is set.</summary>
public sealed record SourceConfig
{
    /// <summary>The built-in VAR network simulator.</summary>
    public SimulatorOptions? Simulator { get; init; }
}
