namespace CausalStream.Core.Formats;

/// <summary>
/// Clock synchronisation of XDF streams as pyxdf's <c>load_xdf</c> does it by default: the offsets are split at
/// clock resets (a jump in both measurement time and offset value that is large in MADs and in seconds), and each
/// segment gets a robust (Huber-type, ADMM) linear fit of offset against time with residuals scaled by the
/// winsor threshold; a segment of one measurement gets a constant offset.
/// </summary>
internal static class XdfClockSync
{
    /// <summary>Spacing of doubles at 1 (2⁻⁵²), added to the MADs so a perfectly regular series does not divide by zero.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    public static XdfClockSegment[] Fit(XdfStream stream, XdfReaderOptions options)
    {
        var offsets = stream.ClockOffsets;
        int n = offsets.Count;
        if (n == 0)
        {
            return [];
        }

        var ranges = new List<(int Begin, int End)>();
        if (options.HandleClockResets && n > 1)
        {
            var resets = DetectResets(offsets, options);
            int begin = 0;
            for (int i = 0; i < resets.Length; i++)
            {
                if (resets[i])
                {
                    ranges.Add((begin, i));
                    begin = i + 1;
                }
            }

            ranges.Add((begin, n - 1));
        }
        else
        {
            ranges.Add((0, n - 1));
        }

        var segments = new XdfClockSegment[ranges.Count];
        for (int r = 0; r < ranges.Count; r++)
        {
            var (begin, end) = ranges[r];
            double intercept;
            double slope;
            if (begin == end)
            {
                intercept = offsets[begin].Value;
                slope = 0;
            }
            else
            {
                (intercept, slope) = RobustLine(offsets, begin, end, options.WinsorThreshold);
            }

            // A segment starts just after the previous segment's last measurement: samples written after it are
            // taken to follow the reset.
            long start = r == 0 ? 0 : stream.ClockOffsetPositions[begin - 1] + 1;
            segments[r] = new XdfClockSegment(start, intercept, slope);
        }

        return segments;
    }

    /// <summary>
    /// resets[i] is true when a clock reset lies between measurements i and i+1: the measurement time went backwards,
    /// or both the time step and the offset step (signed differences) are outliers, each more than its threshold in
    /// MADs from the median step and more than its threshold in seconds (either direction), as pyxdf's
    /// _detect_clock_resets decides.
    /// </summary>
    internal static bool[] DetectResets(IReadOnlyList<XdfClockOffset> offsets, XdfReaderOptions options)
    {
        int m = offsets.Count - 1;
        var timeDiff = new double[m];
        var valueDiff = new double[m];
        for (int i = 0; i < m; i++)
        {
            timeDiff[i] = offsets[i + 1].CollectionTime - offsets[i].CollectionTime;
            valueDiff[i] = offsets[i + 1].Value - offsets[i].Value;
        }

        var timeGlitch = Glitches(timeDiff, options.ResetThresholdStds, options.ResetThresholdSeconds);
        var valueGlitch = Glitches(valueDiff, options.ResetThresholdOffsetStds, options.ResetThresholdOffsetSeconds);
        var resets = new bool[m];
        for (int i = 0; i < m; i++)
        {
            resets[i] = timeDiff[i] < 0 || (timeGlitch[i] && valueGlitch[i]);
        }

        return resets;
    }

    /// <summary>A step is an outlier when |step − median| exceeds both thresholdMads MADs (plus ε) and thresholdSeconds.</summary>
    private static bool[] Glitches(double[] diffs, double thresholdMads, double thresholdSeconds)
    {
        double median = Median(diffs);
        var deviations = new double[diffs.Length];
        for (int i = 0; i < diffs.Length; i++)
        {
            deviations[i] = Math.Abs(diffs[i] - median);
        }

        double mad = Median(deviations) + MachineEpsilon;
        var glitch = new bool[diffs.Length];
        for (int i = 0; i < diffs.Length; i++)
        {
            glitch[i] = deviations[i] / mad > thresholdMads && deviations[i] > thresholdSeconds;
        }

        return glitch;
    }

    internal static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }

    /// <summary>
    /// Fits value ≈ intercept + slope·time over measurements [begin, end] by ADMM on a Huber-type loss with the
    /// time and value scaled by <paramref name="winsor"/> (1000 iterations, ρ = 1), as pyxdf's robust fit does.
    /// </summary>
    internal static (double Intercept, double Slope) RobustLine(IReadOnlyList<XdfClockOffset> offsets, int begin, int end, double winsor)
    {
        const int Iterations = 1000;
        const double Rho = 1;
        int n = end - begin + 1;
        var a1 = new double[n];
        var y = new double[n];
        double minTime = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            a1[i] = offsets[begin + i].CollectionTime / winsor;
            y[i] = offsets[begin + i].Value / winsor;
            minTime = Math.Min(minTime, a1[i]);
        }

        for (int i = 0; i < n; i++)
        {
            a1[i] -= minTime;
        }

        // Normal matrix AᵀA of A = [1, a1] and its Cholesky factor L (2×2).
        double s00 = n;
        double s01 = 0;
        double s11 = 0;
        double aty0 = 0;
        double aty1 = 0;
        for (int i = 0; i < n; i++)
        {
            s01 += a1[i];
            s11 += a1[i] * a1[i];
            aty0 += y[i];
            aty1 += a1[i] * y[i];
        }

        double l00 = Math.Sqrt(s00);
        double l10 = s01 / l00;
        double l11 = Math.Sqrt(s11 - (l10 * l10));
        var z = new double[n];
        var u = new double[n];
        double x0 = 0;
        double x1 = 0;
        for (int k = 0; k < Iterations; k++)
        {
            double b0 = aty0;
            double b1 = aty1;
            for (int i = 0; i < n; i++)
            {
                double w = z[i] - u[i];
                b0 += w;
                b1 += a1[i] * w;
            }

            // Solve L·Lᵀ·x = b.
            double f0 = b0 / l00;
            double f1 = (b1 - (l10 * f0)) / l11;
            x1 = f1 / l11;
            x0 = (f0 - (l10 * x1)) / l00;
            for (int i = 0; i < n; i++)
            {
                double d = x0 + (x1 * a1[i]) - y[i] + u[i];
                double inverse = d != 0 ? 1 / d : 0;
                double shrink = Math.Max(0, 1 - ((1 + (1 / Rho)) * Math.Abs(inverse)));
                z[i] = (Rho / (1 + Rho) * d) + (1 / (1 + Rho) * shrink * d);
                u[i] = d - z[i];
            }
        }

        x0 -= x1 * minTime;
        return (x0 * winsor, x1);
    }
}
