namespace CausalStream.Cli.Configuration;

/// <summary>The web dashboard (docs/dashboard.md): listen address, control token and per-browser queue.</summary>
public sealed record DashboardSinkConfig
{
    public bool Enabled { get; init; } = true;

    /// <summary>Listen address; loopback unless deliberately set otherwise.</summary>
    public string Url { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Bearer token for the arm/disarm controls; null disables them. CAUSALSTREAM_DASHBOARD_TOKEN overrides it.</summary>
    public string? Token { get; init; }

    public int CapacityPerClient { get; init; } = 256;
}
