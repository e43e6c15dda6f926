namespace CausalStream.Cli.Configuration;

/// <summary>A JSON Lines result file (see docs/formats.md).</summary>
public sealed record JsonlSinkConfig
{
    public required string Path { get; init; }

    /// <summary>Also write the periodic health reports, not only graphs.</summary>
    public bool IncludeStatus { get; init; }

    public int Capacity { get; init; } = 1024;
}
