namespace CausalStream.Core.Pipeline;

/// <summary>
/// Live counters of one input stream: what was accepted and what was wrong with it. Updated by the ingest
/// loop, read by status reports; every counter is thread-safe.
/// </summary>
public sealed class StreamHealth
{
    private long _samples;
    private long _chunks;
    private long _markers;
    private long _dropped;
    private long _rejectedChunks;
    private long _nonFiniteValues;
    private long _gaps;
    private long _backwards;
    private long _sourceErrors;
    private long _lastArrivalTicks;

    public StreamHealth(string stream, double nominalRate, int channels)
    {
        Stream = stream;
        NominalRate = nominalRate;
        Channels = channels;
    }

    public string Stream { get; }

    public double NominalRate { get; }

    public int Channels { get; }

    public long Samples => Interlocked.Read(ref _samples);

    public long Chunks => Interlocked.Read(ref _chunks);

    public long Markers => Interlocked.Read(ref _markers);

    /// <summary>Chunks or markers dropped by a DropOldest edge before reaching the windows.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Chunks refused whole (e.g. a channel count that does not match the stream).</summary>
    public long RejectedChunks => Interlocked.Read(ref _rejectedChunks);

    /// <summary>NaN or ±Inf values seen; they are passed on, and each analysis leaves their rows out.</summary>
    public long NonFiniteValues => Interlocked.Read(ref _nonFiniteValues);

    public long Gaps => Interlocked.Read(ref _gaps);

    public long BackwardsTimestamps => Interlocked.Read(ref _backwards);

    /// <summary>Malformed input the source itself skipped (bad packets, file blocks).</summary>
    public long SourceErrors => Interlocked.Read(ref _sourceErrors);

    public long LastArrivalTicks => Interlocked.Read(ref _lastArrivalTicks);

    internal void AddChunk(int samples, long arrivalTicks)
    {
        Interlocked.Add(ref _samples, samples);
        Interlocked.Increment(ref _chunks);
        Interlocked.Exchange(ref _lastArrivalTicks, arrivalTicks);
    }

    internal void AddMarker(long arrivalTicks)
    {
        Interlocked.Increment(ref _markers);
        Interlocked.Exchange(ref _lastArrivalTicks, arrivalTicks);
    }

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    internal void AddRejected() => Interlocked.Increment(ref _rejectedChunks);

    internal void AddNonFinite(long count) => Interlocked.Add(ref _nonFiniteValues, count);

    internal void AddGaps(long count) => Interlocked.Add(ref _gaps, count);

    internal void AddBackwards(long count) => Interlocked.Add(ref _backwards, count);

    internal void AddSourceError() => Interlocked.Increment(ref _sourceErrors);
}
