namespace CausalStream.Core.Stimulation;

/// <summary>
/// A graph rule: the weight of edge Source → Target above (or below) a threshold for a number of consecutive
/// graphs asks for a pulse; the count restarts after each request.
/// </summary>
public sealed record EdgeRule
{
    public required string Name { get; init; }

    /// <summary>Label of the driving channel.</summary>
    public required string Source { get; init; }

    /// <summary>Label of the driven channel.</summary>
    public required string Target { get; init; }

    public required double Threshold { get; init; }

    public bool Above { get; init; } = true;

    public int ConsecutiveHops { get; init; } = 3;

    /// <summary>Channel to stimulate (zero-based); defaults to the source channel.</summary>
    public int? StimulateChannel { get; init; }

    public double Amplitude { get; init; } = 1;

    public double DurationSeconds { get; init; } = 0.002;

    public double Probability { get; init; } = 1;
}
