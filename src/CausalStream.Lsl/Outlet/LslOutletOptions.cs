using CausalStream.Lsl.Configuration;

namespace CausalStream.Lsl.Outlet;

/// <summary>How an outlet binds and buffers: the LSL settings, whether to answer discovery on port 16571, per-consumer buffering and logging.</summary>
public sealed record LslOutletOptions
{
    /// <summary>LSL settings (ports, listen address, session id); null = <see cref="LslApiConfig.Load"/>.</summary>
    public LslApiConfig? Config { get; init; }

    /// <summary>Answer shortinfo queries on the discovery port (16571) as well as on the service port.</summary>
    public bool EnableDiscoveryResponder { get; init; } = true;

    /// <summary>Most samples queued per consumer (the oldest are dropped beyond); 0 = 360 s of data (36000 for irregular streams).</summary>
    public int MaxBufferedSamples { get; init; }

    /// <summary>Host name written into the stream info; null = this machine's name.</summary>
    public string? Hostname { get; init; }

    /// <summary>Receives warnings (bad datagrams, failed connections); null = silent.</summary>
    public Action<string>? Log { get; init; }
}
