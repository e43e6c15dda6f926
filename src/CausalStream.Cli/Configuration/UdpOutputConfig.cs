namespace CausalStream.Cli.Configuration;

/// <summary>A UDP destination for stimulation commands.</summary>
public sealed record UdpOutputConfig
{
    public required string Host { get; init; }

    public required int Port { get; init; }
}
