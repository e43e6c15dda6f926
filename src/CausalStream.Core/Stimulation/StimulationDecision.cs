namespace CausalStream.Core.Stimulation;

/// <summary>
/// The controller's answer to one request, as written to the audit log: the outcome, the interlock that stopped
/// it (if any), the randomisation draw, and the decision's latency from the arrival of the data it used.
/// </summary>
/// <param name="Request">What was asked.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Interlock">For <see cref="StimulationOutcome.Suppressed"/>: disarmed, stale_data, amplitude, duration, refractory, rate_per_second, rate_per_minute or dose_per_minute; otherwise empty.</param>
/// <param name="Draw">Uniform draw compared with the probability (NaN when no draw was made).</param>
/// <param name="DecidedTicks">Monotonic ticks when decided (and, when fired, delivered).</param>
/// <param name="WallClock">UTC wall-clock time of the decision.</param>
public sealed record StimulationDecision(
    StimulationRequest Request,
    StimulationOutcome Outcome,
    string Interlock,
    double Draw,
    long DecidedTicks,
    DateTime WallClock) : Streams.PipelineResult
{
    /// <summary>Seconds from the arrival of the newest sample used to the decision.</summary>
    public double LatencySeconds => Request.ArrivalTicks > 0 ? Streams.MonotonicClock.ToSeconds(DecidedTicks - Request.ArrivalTicks) : double.NaN;
}
