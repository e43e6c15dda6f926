namespace CausalStream.Core.Formats;

/// <summary>
/// Where one Samples chunk of an XDF file lies: its byte offset, stream id, sample count and the raw (uncorrected)
/// timestamp of its first sample, NaN when that sample carries no explicit timestamp. Lets a reader seek.
/// </summary>
public readonly record struct XdfIndexEntry(long Offset, int StreamId, int SampleCount, double FirstTimestamp);
