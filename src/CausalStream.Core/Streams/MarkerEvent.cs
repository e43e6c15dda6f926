namespace CausalStream.Core.Streams;

/// <summary>
/// One irregular event on a marker stream: a stimulation pulse, a task event, an opportunity to stimulate.
/// </summary>
/// <param name="Stream">Name of the marker stream it arrived on.</param>
/// <param name="Timestamp">Source time in seconds.</param>
/// <param name="Payload">The marker string as sent.</param>
/// <param name="Code">Optional numeric code (e.g. stimulated channel, trigger value).</param>
/// <param name="ArrivalTicks">Monotonic arrival time, see <see cref="MonotonicClock"/>.</param>
public sealed record MarkerEvent(string Stream, double Timestamp, string Payload, double? Code, long ArrivalTicks);
