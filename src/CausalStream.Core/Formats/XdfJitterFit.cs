namespace CausalStream.Core.Formats;

/// <summary>
/// Streaming form of pyxdf's jitter removal for one regular stream: timestamps are split into segments at gaps
/// longer than the break threshold, and each segment gets the least-squares line of timestamp against sample
/// index. Accumulates sums per segment, so it needs no copy of the timestamps.
/// </summary>
internal sealed class XdfJitterFit
{
    private readonly double _breakThreshold;
    private readonly double _period;
    private readonly List<XdfJitterSegment> _segments = [];
    private long _index;
    private long _start;
    private double _origin;
    private double _previous;
    private double _n;
    private double _sj;
    private double _sjj;
    private double _sy;
    private double _sjy;

    public XdfJitterFit(double breakThreshold, double period)
    {
        _breakThreshold = breakThreshold;
        _period = period;
    }

    public void Add(double t)
    {
        if (_index > 0 && t - _previous > _breakThreshold)
        {
            Close();
            _start = _index;
        }

        if (_index == _start)
        {
            _origin = t;
        }

        double j = _index - _start;
        double y = t - _origin;
        _n++;
        _sj += j;
        _sjj += j * j;
        _sy += y;
        _sjy += j * y;
        _previous = t;
        _index++;
    }

    /// <summary>Closes the last segment and returns all of them, with pyxdf's effective rate (samples / summed segment durations).</summary>
    public XdfJitterSegment[] Finish(out double effectiveRate)
    {
        if (_n > 0)
        {
            Close();
        }

        double samples = 0;
        double duration = 0;
        foreach (var segment in _segments)
        {
            samples += segment.Count;
            duration += segment.Intercept + (segment.Slope * (segment.Count - 1)) + _period - segment.Intercept;
        }

        effectiveRate = duration > 0 ? samples / duration : 0;
        return [.. _segments];
    }

    private void Close()
    {
        double slope = 0;
        double denominator = (_n * _sjj) - (_sj * _sj);
        if (_n > 1 && denominator != 0)
        {
            slope = ((_n * _sjy) - (_sj * _sy)) / denominator;
        }

        double intercept = ((_sy - (slope * _sj)) / _n) + _origin;
        _segments.Add(new XdfJitterSegment(_start, (long)_n, intercept, slope));
        _n = 0;
        _sj = 0;
        _sjj = 0;
        _sy = 0;
        _sjy = 0;
    }
}
