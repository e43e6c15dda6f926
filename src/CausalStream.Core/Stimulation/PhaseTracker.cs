namespace CausalStream.Core.Stimulation;

/// <summary>
/// Instantaneous phase and amplitude of one channel's oscillation in a band, tracked sample by sample with a
/// complex one-pole resonator at the band centre, so a rule can stimulate at a chosen phase (peak, trough, a zero
/// crossing) without a look-ahead buffer. O(1) and allocation-free per sample.
/// </summary>
/// <remarks>
/// z_n = r·e^{iω₀}·z_{n−1} + (1 − r)·x_n with ω₀ = 2π·f₀/fs, f₀ = (low + high)/2 and r = exp(−π·(high − low)/fs), so
/// the −3 dB bandwidth is about high − low. Its response is 1 (no phase shift) at f₀. A real input also has a
/// negative-frequency image, which the resonator passes with the gain h = H(−f₀) (about (high − low)/(4·f₀): 17 %, or
/// 10° of phase error, for a 4–8 Hz band); writing z = a + h·ā for the analytic component a and solving,
/// a = (z − h·z̄)/(1 − |h|²) removes it exactly at f₀ and nearly so across the band. Then phase = arg a (0 at a
/// cosine's peak, ±180° at its trough, −90° at its rising zero crossing) and amplitude = 2|a|. Off-centre
/// components keep the resonator's own phase shift arg H(f): about −atan(2(f − f₀)/(high − low)), ±45° at the band edges.
/// </remarks>
public sealed class PhaseTracker
{
    private readonly double _rc;
    private readonly double _rs;
    private readonly double _gain;
    private readonly double _hRe;
    private readonly double _hIm;
    private readonly double _hNorm;
    private double _re;
    private double _im;
    private double _lastPhase;
    private bool _started;

    /// <summary>Creates a tracker for the band <paramref name="lowHz"/>–<paramref name="highHz"/> of a <paramref name="sampleRate"/> stream.</summary>
    /// <exception cref="ArgumentException">The band does not fit below the Nyquist frequency.</exception>
    public PhaseTracker(double sampleRate, double lowHz, double highHz)
    {
        if (!(sampleRate > 0) || !(lowHz > 0) || !(highHz > lowHz) || !(highHz < sampleRate / 2))
        {
            throw new ArgumentException($"band {lowHz}-{highHz} Hz does not fit a {sampleRate} Hz stream (need 0 < low < high < {sampleRate / 2})");
        }

        double w0 = Math.PI * (lowHz + highHz) / sampleRate;
        double r = Math.Exp(-Math.PI * (highHz - lowHz) / sampleRate);
        _rc = r * Math.Cos(w0);
        _rs = r * Math.Sin(w0);
        _gain = 1 - r;

        // h = g / (1 − r·e^{2iω₀}), the response to the negative-frequency image.
        double dRe = 1 - (r * Math.Cos(2 * w0));
        double dIm = -r * Math.Sin(2 * w0);
        double d2 = (dRe * dRe) + (dIm * dIm);
        _hRe = _gain * dRe / d2;
        _hIm = -_gain * dIm / d2;
        _hNorm = 1 - ((_hRe * _hRe) + (_hIm * _hIm));
    }

    /// <summary>Phase of the latest sample in radians, in (−π, π].</summary>
    public double Phase { get; private set; }

    /// <summary>Amplitude of the band's oscillation at the latest sample (2|z|).</summary>
    public double Amplitude { get; private set; }

    /// <summary>
    /// Adds one sample and reports whether the phase advanced across <paramref name="targetRadians"/> since the previous
    /// sample. Non-finite samples are ignored (phase and amplitude hold, no crossing).
    /// </summary>
    public bool Add(double x, double targetRadians)
    {
        if (!double.IsFinite(x))
        {
            return false;
        }

        double re = (_rc * _re) - (_rs * _im) + (_gain * x);
        double im = (_rs * _re) + (_rc * _im);
        _re = re;
        _im = im;

        // a = (z − h·z̄) / (1 − |h|²)
        double aRe = (re - ((_hRe * re) + (_hIm * im))) / _hNorm;
        double aIm = (im - ((_hIm * re) - (_hRe * im))) / _hNorm;
        Phase = Math.Atan2(aIm, aRe);
        Amplitude = 2 * Math.Sqrt((aRe * aRe) + (aIm * aIm));
        if (!_started)
        {
            _started = true;
            _lastPhase = Phase;
            return false;
        }

        double step = Wrap(Phase - _lastPhase);
        double toTarget = Wrap(targetRadians - _lastPhase);
        _lastPhase = Phase;
        return step > 0 && toTarget > 0 && toTarget <= step;
    }

    /// <summary>Wraps an angle into (−π, π].</summary>
    public static double Wrap(double radians)
    {
        double w = Math.IEEERemainder(radians, 2 * Math.PI);
        return w <= -Math.PI ? w + (2 * Math.PI) : w;
    }
}
