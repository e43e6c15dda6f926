namespace CausalStream.Core.Pipeline;

/// <summary>
/// Thread-safe, allocation-free latency histogram with log-spaced buckets (about 2% wide) from 100 ns to
/// about 100 s, from which p50/p99/p99.9/max are read. Recording is a bucket index and two interlocked adds.
/// </summary>
public sealed class LatencyHistogram
{
    private const double MinSeconds = 1e-7;
    private const double BucketsPerDecade = 100;
    private const int BucketCount = 900;
    private readonly long[] _buckets = new long[BucketCount + 1];
    private long _count;
    private long _maxNanoseconds;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Largest recorded latency in seconds (exact, not bucketed).</summary>
    public double MaxSeconds => Interlocked.Read(ref _maxNanoseconds) * 1e-9;

    public void RecordSeconds(double seconds)
    {
        if (!(seconds >= 0))
        {
            seconds = 0;
        }

        int bucket = seconds <= MinSeconds ? 0 : (int)(Math.Log10(seconds / MinSeconds) * BucketsPerDecade) + 1;
        if (bucket > BucketCount)
        {
            bucket = BucketCount;
        }

        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
        long ns = (long)Math.Min(seconds * 1e9, long.MaxValue / 2.0);
        long current = Interlocked.Read(ref _maxNanoseconds);
        while (ns > current)
        {
            long seen = Interlocked.CompareExchange(ref _maxNanoseconds, ns, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }
    }

    /// <summary>The latency below which a fraction <paramref name="quantile"/> of records fall (upper bucket edge), or 0 when empty.</summary>
    public double PercentileSeconds(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1.0);
        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), MaxSeconds);
            }
        }

        return MaxSeconds;
    }

    public void Reset()
    {
        for (int i = 0; i < _buckets.Length; i++)
        {
            Interlocked.Exchange(ref _buckets[i], 0);
        }

        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _maxNanoseconds, 0);
    }

    private static double UpperEdge(int bucket) => bucket == 0 ? MinSeconds : MinSeconds * Math.Pow(10, bucket / BucketsPerDecade);
}
