namespace CausalStream.Core.Stimulation;

/// <summary>
/// Band power of one channel tracked sample by sample: a second-order band-pass (constant 0 dB peak gain,
/// centre √(lo·hi), Q = centre / (hi − lo)) followed by an exponential moving average of the squared output.
/// O(1) and allocation-free per sample, so it can run on the trigger path.
/// </summary>
public sealed class BandPowerTracker
{
    private readonly double _b0;
    private readonly double _b2;
    private readonly double _a1;
    private readonly double _a2;
    private readonly double _alpha;
    private double _x1;
    private double _x2;
    private double _y1;
    private double _y2;

    public BandPowerTracker(double sampleRate, double lowHz, double highHz, double smoothingSeconds)
    {
        if (!(sampleRate > 0) || !(lowHz > 0) || !(highHz > lowHz) || !(highHz < sampleRate / 2))
        {
            throw new ArgumentException($"band {lowHz}-{highHz} Hz does not fit a {sampleRate} Hz stream (need 0 < low < high < {sampleRate / 2})");
        }

        if (!(smoothingSeconds > 0))
        {
            throw new ArgumentException($"smoothing must be positive (was {smoothingSeconds} s)");
        }

        double centre = Math.Sqrt(lowHz * highHz);
        double q = centre / (highHz - lowHz);
        double w0 = 2 * Math.PI * centre / sampleRate;
        double alpha = Math.Sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        _b0 = alpha / a0;
        _b2 = -alpha / a0;
        _a1 = -2 * Math.Cos(w0) / a0;
        _a2 = (1 - alpha) / a0;
        _alpha = 1 - Math.Exp(-1 / (smoothingSeconds * sampleRate));
    }

    /// <summary>The current smoothed power (mean square of the band-passed signal).</summary>
    public double Power { get; private set; }

    /// <summary>Adds one sample; non-finite samples are ignored (the power holds).</summary>
    public double Add(double x)
    {
        if (!double.IsFinite(x))
        {
            return Power;
        }

        double y = (_b0 * x) + (_b2 * _x2) - (_a1 * _y1) - (_a2 * _y2);
        _x2 = _x1;
        _x1 = x;
        _y2 = _y1;
        _y1 = y;
        Power += _alpha * ((y * y) - Power);
        return Power;
    }
}
