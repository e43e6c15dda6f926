namespace CausalStream.Dashboard;

/// <summary>
/// Settings of the web dashboard: where it listens, the token that unlocks its controls, and how much each
/// connected browser may fall behind before its oldest queued events are dropped.
/// </summary>
public sealed record DashboardOptions
{
    /// <summary>Environment variable whose value, when set and not empty, overrides <see cref="Token"/>.</summary>
    public const string TokenEnvironmentVariable = "CAUSALSTREAM_DASHBOARD_TOKEN";

    /// <summary>Shortest token accepted; shorter ones are refused at start-up rather than silently weak.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>Listen address, e.g. http://127.0.0.1:5080 (loopback by default; port 0 picks a free port).</summary>
    public string Url { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Bearer token for the arm/disarm controls; null or empty disables the controls (they answer 403).</summary>
    public string? Token { get; init; }

    /// <summary>Events queued per connected browser before the oldest are dropped (and counted).</summary>
    public int CapacityPerClient { get; init; } = 256;

    /// <summary>Most browsers connected to the live feed at once; more are refused with 503.</summary>
    public int MaxClients { get; init; } = 16;

    /// <summary>Graphs per stream kept to seed a newly connected browser's edge-strength chart.</summary>
    public int HistoryGraphs { get; init; } = 120;

    /// <summary>Stimulation decisions kept to seed a newly connected browser's log.</summary>
    public int RecentDecisions { get; init; } = 100;

    /// <summary>Seconds between keep-alive comments on an idle feed (they also reveal dead connections).</summary>
    public double HeartbeatSeconds { get; init; } = 15;

    /// <summary>A copy whose token comes from <see cref="TokenEnvironmentVariable"/> when that is set and not empty.</summary>
    public DashboardOptions WithEnvironmentToken(Func<string, string?>? getEnvironmentVariable = null)
    {
        string? value = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(TokenEnvironmentVariable);
        return string.IsNullOrEmpty(value) ? this : this with { Token = value };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{nameof(Url)} must be an absolute http:// address such as http://127.0.0.1:5080 (was '{Url}')", nameof(Url));
        }

        if (!string.IsNullOrEmpty(Token) && Token.Length < MinimumTokenLength)
        {
            throw new ArgumentException($"{nameof(Token)} must be at least {MinimumTokenLength} characters (or empty to disable the controls)", nameof(Token));
        }

        Require(CapacityPerClient >= 1, nameof(CapacityPerClient), $"must be at least 1 (was {CapacityPerClient})");
        Require(MaxClients >= 1, nameof(MaxClients), $"must be at least 1 (was {MaxClients})");
        Require(HistoryGraphs >= 0, nameof(HistoryGraphs), $"must be >= 0 (was {HistoryGraphs})");
        Require(RecentDecisions >= 0, nameof(RecentDecisions), $"must be >= 0 (was {RecentDecisions})");
        Require(double.IsFinite(HeartbeatSeconds) && HeartbeatSeconds > 0, nameof(HeartbeatSeconds), $"must be finite and > 0 (was {HeartbeatSeconds})");
    }

    private static void Require(bool condition, string field, string reason)
    {
        if (!condition)
        {
            throw new ArgumentException($"{field} {reason}", field);
        }
    }
}
