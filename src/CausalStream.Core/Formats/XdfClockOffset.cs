namespace CausalStream.Core.Formats;

/// <summary>
/// One clock-offset measurement of an XDF stream: at <paramref name="CollectionTime"/> (recorder clock, seconds)
/// the stream's clock had to be shifted by <paramref name="Value"/> seconds to match the recorder's clock.
/// </summary>
public readonly record struct XdfClockOffset(double CollectionTime, double Value);
