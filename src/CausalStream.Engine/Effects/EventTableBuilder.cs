using System.Globalization;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Turns events on a sample stream into event-table rows: covariates from the pre-event window (per channel mean,
/// variance, event-sample value, band powers, plus caller-supplied values such as causal-graph edge weights), the
/// outcome from the post-event latency range of the target channel, the treatment and the logged propensity.
/// An event whose outcome window has not arrived yet is not ready (it waits); one that cannot be measured becomes a
/// withheld row with the reason, never an exception or a NaN estimate.
/// </summary>
/// <remarks>
/// The event sample is the newest sample at or before the event time. The pre-event window is the
/// <c>round(PreWindowSeconds · rate)</c> samples ending at it (inclusive); the latency range holds sample offsets
/// <c>round(start · rate) ≤ k &lt; round(end · rate)</c> after it. Builders reuse their scratch buffers and are not thread-safe.
/// </remarks>
public sealed class EventTableBuilder
{
    /// <summary>Column name of the treatment in <see cref="ToEffectTable"/>.</summary>
    public const string TreatmentColumn = "d";

    /// <summary>Column name of the outcome.</summary>
    public const string OutcomeColumn = "y";

    /// <summary>Column name of the logged propensity (NaN when a row has none).</summary>
    public const string PropensityColumn = "propensity";

    /// <summary>Column name of the time-block fold label.</summary>
    public const string FoldColumn = "fold";

    private readonly EventTableOptions _options;
    private readonly int[] _channels;
    private readonly IReadOnlyList<string> _extraNames;
    private readonly double[] _pre;
    private readonly double[] _post;

    /// <summary>Creates a builder for a stream of <paramref name="channels"/> channels at <paramref name="rate"/> Hz.</summary>
    /// <exception cref="ArgumentException">A setting the stream cannot satisfy; the message names it.</exception>
    public EventTableBuilder(int channels, double rate, EventTableOptions options, IReadOnlyList<string>? channelLabels = null, IReadOnlyList<string>? extraCovariates = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(rate > 0) || !double.IsFinite(rate))
        {
            throw new ArgumentException($"events need a regular stream; the rate is {rate}", nameof(rate));
        }

        _options = options;
        Rate = rate;
        PreSamples = (int)Math.Round(options.PreWindowSeconds * rate);
        OutcomeFirstOffset = (int)Math.Round(options.OutcomeStartSeconds * rate);
        OutcomeEndOffset = (int)Math.Round(options.OutcomeEndSeconds * rate);
        if (PreSamples < 2)
        {
            throw new ArgumentException($"preWindowSeconds {Format(options.PreWindowSeconds)} holds {PreSamples} samples at {Format(rate)} Hz; at least 2 are needed", nameof(options));
        }

        if (OutcomeFirstOffset < 0 || OutcomeEndOffset <= OutcomeFirstOffset)
        {
            throw new ArgumentException($"the latency range {Format(options.OutcomeStartSeconds)}-{Format(options.OutcomeEndSeconds)} s holds no sample at {Format(rate)} Hz (start must be >= 0 and end later than start)", nameof(options));
        }

        if (options.OutcomeChannel < 0 || options.OutcomeChannel >= channels)
        {
            throw new ArgumentException($"outcomeChannel {options.OutcomeChannel} is not a channel of the stream (0..{channels - 1})", nameof(options));
        }

        if (options.Outcome == EventOutcome.BandPowerChange && options.OutcomeBand is null)
        {
            throw new ArgumentException("a bandPowerChange outcome needs outcomeBand", nameof(options));
        }

        _channels = options.CovariateChannels is { } chosen ? [.. chosen] : Enumerable.Range(0, channels).ToArray();
        foreach (int c in _channels)
        {
            if (c < 0 || c >= channels)
            {
                throw new ArgumentException($"covariate channel {c} is not a channel of the stream (0..{channels - 1})", nameof(options));
            }
        }

        foreach (var band in options.Bands)
        {
            if (!(band.LowHz >= 0 && band.HighHz > band.LowHz && band.HighHz <= rate / 2))
            {
                throw new ArgumentException($"band {Format(band.LowHz)}-{Format(band.HighHz)} Hz must satisfy 0 <= low < high <= {Format(rate / 2)} Hz (Nyquist)", nameof(options));
            }
        }

        _extraNames = extraCovariates ?? [];
        var names = new List<string>();
        foreach (int c in _channels)
        {
            string label = channelLabels is not null && c < channelLabels.Count ? channelLabels[c] : $"ch{c + 1}";
            if (options.Mean)
            {
                names.Add(label + "_mean");
            }

            if (options.Variance)
            {
                names.Add(label + "_var");
            }

            if (options.Last)
            {
                names.Add(label + "_last");
            }

            foreach (var band in options.Bands)
            {
                names.Add(string.Create(CultureInfo.InvariantCulture, $"{label}_bp_{band.LowHz:G}_{band.HighHz:G}"));
            }
        }

        names.AddRange(_extraNames);
        CovariateNames = names;
        _pre = new double[PreSamples];
        _post = new double[OutcomeEndOffset - OutcomeFirstOffset];
    }

    /// <summary>Sample rate of the stream.</summary>
    public double Rate { get; }

    /// <summary>Samples in the pre-event window.</summary>
    public int PreSamples { get; }

    /// <summary>First outcome sample offset after the event sample (inclusive).</summary>
    public int OutcomeFirstOffset { get; }

    /// <summary>Last outcome sample offset plus one.</summary>
    public int OutcomeEndOffset { get; }

    /// <summary>Covariate names in row order.</summary>
    public IReadOnlyList<string> CovariateNames { get; }

    /// <summary>Samples a history must hold for an event to be measured: pre-event window plus latency range.</summary>
    public int SpanSamples => PreSamples + OutcomeEndOffset;

    /// <summary>
    /// Measures the event at <paramref name="time"/>; returns null while its outcome window has not fully arrived.
    /// <paramref name="extra"/> holds the caller's covariates (one per extra name); <paramref name="extraMissing"/>
    /// says why they are unavailable, which withholds the row.
    /// </summary>
    public EventRow? TryBuild(SampleHistory history, double time, double treatment, double? propensity, string source, ReadOnlySpan<double> extra = default, string? extraMissing = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        long newest = history.Count - 1;
        long at = history.IndexAtOrBefore(time);
        if (at < 0)
        {
            if (newest >= 0 && history.TimeAt(history.Oldest) > time)
            {
                return Withheld(time, treatment, propensity, source, $"missing covariates: the event at {Format(time)} s precedes the buffered samples (from {Format(history.TimeAt(history.Oldest))} s)");
            }

            return null;
        }

        if (at + OutcomeEndOffset - 1 > newest || time > history.TimeAt(newest) + (0.5 / Rate))
        {
            return null; // the outcome window (or the event sample itself) has not arrived yet
        }

        long preFirst = at - PreSamples + 1;
        if (preFirst < history.Oldest)
        {
            return Withheld(time, treatment, propensity, source, $"missing covariates: the pre-event window needs {PreSamples} samples before {Format(time)} s, only {at - history.Oldest + 1} are buffered");
        }

        if (extraMissing is not null)
        {
            return Withheld(time, treatment, propensity, source, "missing covariates: " + extraMissing);
        }

        if (extra.Length != _extraNames.Count)
        {
            throw new ArgumentException($"{_extraNames.Count} extra covariates expected, {extra.Length} given", nameof(extra));
        }

        var covariates = new double[CovariateNames.Count];
        int column = 0;
        foreach (int c in _channels)
        {
            history.CopyChannel(preFirst, PreSamples, c, _pre);
            if (!AllFinite(_pre))
            {
                return Withheld(time, treatment, propensity, source, $"missing covariates: a non-finite sample of channel {c + 1} in the pre-event window");
            }

            if (_options.Mean)
            {
                covariates[column++] = WindowFeatures.Mean(_pre);
            }

            if (_options.Variance)
            {
                covariates[column++] = WindowFeatures.Variance(_pre);
            }

            if (_options.Last)
            {
                covariates[column++] = _pre[^1];
            }

            foreach (var band in _options.Bands)
            {
                covariates[column++] = WindowFeatures.BandPower(_pre, Rate, band.LowHz, band.HighHz);
            }
        }

        for (int i = 0; i < extra.Length; i++)
        {
            if (!double.IsFinite(extra[i]))
            {
                return Withheld(time, treatment, propensity, source, $"missing covariates: {_extraNames[i]} is not available");
            }

            covariates[column++] = extra[i];
        }

        int target = _options.OutcomeChannel;
        history.CopyChannel(at + OutcomeFirstOffset, _post.Length, target, _post);
        if (!AllFinite(_post))
        {
            return Withheld(time, treatment, propensity, source, $"outcome: a non-finite sample of channel {target + 1} in the latency range");
        }

        double outcome;
        if (_options.Outcome == EventOutcome.MeanAmplitude)
        {
            outcome = WindowFeatures.Mean(_post);
        }
        else
        {
            var band = _options.OutcomeBand!;
            history.CopyChannel(preFirst, PreSamples, target, _pre);
            if (!AllFinite(_pre))
            {
                return Withheld(time, treatment, propensity, source, $"outcome: a non-finite sample of channel {target + 1} in the pre-event window");
            }

            outcome = WindowFeatures.BandPower(_post, Rate, band.LowHz, band.HighHz) - WindowFeatures.BandPower(_pre, Rate, band.LowHz, band.HighHz);
        }

        return new EventRow { Time = time, Treatment = treatment, Propensity = propensity, Covariates = covariates, Outcome = outcome, Source = source };
    }

    /// <summary>A withheld row for an event whose outcome window runs past the end of the data.</summary>
    public EventRow PastEndOfData(SampleHistory history, double time, double treatment, double? propensity, string source)
    {
        ArgumentNullException.ThrowIfNull(history);
        double needed = time + ((OutcomeEndOffset - 1) / Rate);
        return Withheld(time, treatment, propensity, source, $"outcome window runs past the end of the data (needs samples up to {Format(needed)} s, the data ends at {Format(history.NewestTime)} s)");
    }

    /// <summary>
    /// The usable rows as an <see cref="EffectTable"/>: columns d, y, propensity (NaN where not logged), the
    /// covariates, and fold = ⌊i·K/n⌋ over the rows in time order (contiguous time blocks, so cross-fitting never
    /// trains on a row's immediate neighbours in both directions). Withheld rows are left out.
    /// </summary>
    public EffectTable ToEffectTable(IReadOnlyList<EventRow> rows, int folds, string name = "events")
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            if (!rows[i].IsWithheld)
            {
                n++;
            }
        }

        int k = CovariateNames.Count;
        var d = new double[n];
        var y = new double[n];
        var e = new double[n];
        var fold = new double[n];
        var x = new double[k][];
        for (int j = 0; j < k; j++)
        {
            x[j] = new double[n];
        }

        int r = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.IsWithheld)
            {
                continue;
            }

            d[r] = row.Treatment;
            y[r] = row.Outcome;
            e[r] = row.Propensity ?? double.NaN;
            fold[r] = folds >= 2 ? Math.Min(folds - 1, (long)r * folds / Math.Max(n, 1)) : 0;
            for (int j = 0; j < k; j++)
            {
                x[j][r] = row.Covariates[j];
            }

            r++;
        }

        var names = new List<string> { TreatmentColumn, OutcomeColumn, PropensityColumn, FoldColumn };
        names.AddRange(CovariateNames);
        var columns = new List<double[]> { d, y, e, fold };
        columns.AddRange(x);
        return new EffectTable(name, names, columns);
    }

    private static EventRow Withheld(double time, double treatment, double? propensity, string source, string reason)
        => new() { Time = time, Treatment = treatment, Propensity = propensity, Source = source, WithheldReason = reason };

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
