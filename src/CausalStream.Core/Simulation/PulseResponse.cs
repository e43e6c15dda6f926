namespace CausalStream.Core.Simulation;

/// <summary>
/// The exact, noise-free response of a <see cref="VarNetwork"/> to a stimulation pulse, computed by running the
/// VAR recursion from a zero state. Because the simulator is linear, this is the true causal effect of a pulse
/// on every channel, so measured and predicted effects can be checked against it.
/// </summary>
/// <remarks>
/// A pulse adds <c>amplitude</c> to the drive of <c>channel</c> for <c>durationSamples</c> samples starting at
/// sample <c>delaySamples</c> (the simulator applies a pulse from the first sample after the decision, i.e. with
/// a delay of one sample relative to the sample the rule saw). Response r(t) satisfies
/// <c>r(t) = Σ_k A_k r(t − k) + u(t)</c> with r(t &lt; 0) = 0.
/// </remarks>
public static class PulseResponse
{
    /// <summary>Response of every channel at t = 0..horizon−1, row-major: value at <c>t · C + channel</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A channel, duration, horizon or delay out of range, or a non-finite amplitude.</exception>
    public static double[] Compute(VarNetwork network, int channel, double amplitude, int durationSamples, int horizon, int delaySamples = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        int c = network.Channels;
        if (channel < 0 || channel >= c)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"channel must be in 0..{c - 1}");
        }

        if (!double.IsFinite(amplitude))
        {
            throw new ArgumentOutOfRangeException(nameof(amplitude), amplitude, "amplitude must be finite");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSamples);
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);
        ArgumentOutOfRangeException.ThrowIfNegative(delaySamples);
        int p = network.MaxLag;
        ReadOnlySpan<double> a = network.FlatCoefficients;
        var r = new double[horizon * c];
        for (int t = 0; t < horizon; t++)
        {
            Span<double> now = r.AsSpan(t * c, c);
            for (int k = 1; k <= p && k <= t; k++)
            {
                ReadOnlySpan<double> past = r.AsSpan((t - k) * c, c);
                ReadOnlySpan<double> lag = a.Slice((k - 1) * c * c, c * c);
                for (int i = 0; i < c; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < c; j++)
                    {
                        sum += lag[(i * c) + j] * past[j];
                    }

                    now[i] += sum;
                }
            }

            if (t >= delaySamples && t < delaySamples + durationSamples)
            {
                now[channel] += amplitude;
            }
        }

        return r;
    }

    /// <summary>
    /// Mean response of <paramref name="target"/> over sample offsets <paramref name="firstOffset"/> (inclusive) to
    /// <paramref name="endOffset"/> (exclusive) after the decision sample: the true effect of the pulse on a
    /// "mean evoked amplitude" outcome measured over that latency range.
    /// </summary>
    public static double MeanOverWindow(VarNetwork network, int channel, double amplitude, int durationSamples, int target, int firstOffset, int endOffset, int delaySamples)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (target < 0 || target >= network.Channels)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target must be in 0..{network.Channels - 1}");
        }

        if (firstOffset < 0 || endOffset <= firstOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(endOffset), endOffset, $"the window [{firstOffset}, {endOffset}) must be non-empty and start at 0 or later");
        }

        var r = Compute(network, channel, amplitude, durationSamples, endOffset, delaySamples);
        double sum = 0;
        for (int t = firstOffset; t < endOffset; t++)
        {
            sum += r[(t * network.Channels) + target];
        }

        return sum / (endOffset - firstOffset);
    }
}
