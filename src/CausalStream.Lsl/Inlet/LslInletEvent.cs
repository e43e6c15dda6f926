namespace CausalStream.Lsl.Inlet;

/// <summary>
/// A report from an inlet: a protocol error (with the stream and byte offset in <see cref="Message"/>), a lost
/// connection, or a recovery with the size of the gap.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Stream">Stream name.</param>
/// <param name="Message">Human-readable description.</param>
/// <param name="Error">The exception behind an error, if any.</param>
/// <param name="DowntimeSeconds">For <see cref="LslInletEventKind.Recovered"/>: seconds between the loss and the first new sample.</param>
/// <param name="GapSeconds">For <see cref="LslInletEventKind.Recovered"/>: timestamp of the first new sample minus that of the last one before the loss.</param>
/// <param name="DuplicatesDropped">For <see cref="LslInletEventKind.Recovered"/>: samples dropped because their timestamps were not newer than the last delivered one.</param>
public sealed record LslInletEvent(LslInletEventKind Kind, string Stream, string Message, Exception? Error = null, double DowntimeSeconds = 0, double GapSeconds = 0, long DuplicatesDropped = 0);
