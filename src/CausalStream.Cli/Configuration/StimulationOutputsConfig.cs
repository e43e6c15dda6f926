namespace CausalStream.Cli.Configuration;

/// <summary>Where delivered pulses go.</summary>
public sealed record StimulationOutputsConfig
{
    /// <summary>Feed pulses back into the simulator (closed loop without hardware).</summary>
    public bool Simulator { get; init; } = true;

    /// <summary>UDP JSON-line output to a custom controller; null = none.</summary>
    public UdpOutputConfig? Udp { get; init; }

    /// <summary>An LSL marker outlet (<c>&lt;name&gt;-markers</c>) for stimulus programs that listen to LSL; null = none.</summary>
    public CausalStream.Lsl.Pipeline.LslSinkOptions? Lsl { get; init; }
}
