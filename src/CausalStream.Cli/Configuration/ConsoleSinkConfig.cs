using CausalStream.Core.Pipeline;

namespace CausalStream.Cli.Configuration;

/// <summary>The console sink: one compact line per health report (and per graph once the engine runs).</summary>
public sealed record ConsoleSinkConfig
{
    public bool Enabled { get; init; } = true;

    public int Capacity { get; init; } = 64;

    public EdgePolicy Policy { get; init; } = EdgePolicy.DropOldest;
}
