using CausalStream.Core.Windows;

namespace CausalStream.Cli.Configuration;

/// <summary>The sliding analysis window: its length and hop, in seconds or samples.</summary>
public sealed record WindowConfig
{
    public required double Length { get; init; }

    public required double Hop { get; init; }

    public WindowUnit Unit { get; init; } = WindowUnit.Seconds;
}
