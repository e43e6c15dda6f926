using System.Globalization;

namespace CausalStream.Core.Windows;

/// <summary>
/// Length and hop of a sliding window, in samples or in seconds. Validated on construction so a bad
/// configuration fails with a message naming the offending value instead of deep inside the pipeline.
/// </summary>
public sealed record WindowSpec
{
    /// <summary>Creates a window spec; throws <see cref="ArgumentException"/> with a clear message if it is invalid.</summary>
    /// <param name="length">Window length (samples or seconds), positive.</param>
    /// <param name="hop">Distance between consecutive analyses, positive and not longer than <paramref name="length"/>.</param>
    /// <param name="unit">Unit of both values; sample counts must be whole numbers.</param>
    public WindowSpec(double length, double hop, WindowUnit unit)
    {
        if (unit is not (WindowUnit.Samples or WindowUnit.Seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "window unit must be Samples or Seconds");
        }

        string u = UnitName(unit);
        if (!double.IsFinite(length) || length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"window length must be a positive number of {u}, got {Format(length)}");
        }

        if (!double.IsFinite(hop) || hop <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hop), hop, $"window hop must be a positive number of {u}, got {Format(hop)}");
        }

        if (hop > length)
        {
            throw new ArgumentException($"window hop ({Format(hop)} {u}) must not exceed the window length ({Format(length)} {u}): samples between windows would never be analysed", nameof(hop));
        }

        if (unit == WindowUnit.Samples)
        {
            if (length != Math.Floor(length) || length > int.MaxValue)
            {
                throw new ArgumentException($"window length in samples must be a whole number up to {int.MaxValue}, got {Format(length)}", nameof(length));
            }

            if (hop != Math.Floor(hop))
            {
                throw new ArgumentException($"window hop in samples must be a whole number, got {Format(hop)}", nameof(hop));
            }
        }

        Length = length;
        Hop = hop;
        Unit = unit;
    }

    /// <summary>Window length in <see cref="Unit"/>.</summary>
    public double Length { get; }

    /// <summary>Hop between consecutive windows in <see cref="Unit"/>.</summary>
    public double Hop { get; }

    public WindowUnit Unit { get; }

    /// <summary>A window of <paramref name="length"/> samples advancing by <paramref name="hop"/> samples.</summary>
    public static WindowSpec InSamples(int length, int hop) => new(length, hop, WindowUnit.Samples);

    /// <summary>A window of <paramref name="length"/> seconds advancing by <paramref name="hop"/> seconds.</summary>
    public static WindowSpec InSeconds(double length, double hop) => new(length, hop, WindowUnit.Seconds);

    /// <summary>Window length in samples at <paramref name="nominalRate"/> (round(length·rate) for seconds).</summary>
    public int LengthInSamples(double nominalRate) => ToSamples(Length, nominalRate, "length");

    /// <summary>Hop in samples at <paramref name="nominalRate"/> (round(hop·rate) for seconds).</summary>
    public int HopInSamples(double nominalRate) => ToSamples(Hop, nominalRate, "hop");

    /// <inheritdoc/>
    public override string ToString() => $"{Format(Length)} {UnitName(Unit)} window, hop {Format(Hop)}";

    private int ToSamples(double value, double nominalRate, string what)
    {
        if (Unit == WindowUnit.Samples)
        {
            return (int)value;
        }

        if (!double.IsFinite(nominalRate) || nominalRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nominalRate), nominalRate, $"nominal rate must be finite and >= 0, got {Format(nominalRate)}");
        }

        if (nominalRate == 0)
        {
            throw new InvalidOperationException(
                $"a window {what} of {Format(value)} s cannot be converted to samples for an irregular stream (nominal rate 0); give the window in samples instead");
        }

        double samples = Math.Round(value * nominalRate, MidpointRounding.AwayFromZero);
        if (samples < 1)
        {
            throw new InvalidOperationException(
                $"a window {what} of {Format(value)} s is shorter than one sample at {Format(nominalRate)} Hz");
        }

        if (samples > int.MaxValue)
        {
            throw new InvalidOperationException($"a window {what} of {Format(value)} s at {Format(nominalRate)} Hz exceeds {int.MaxValue} samples");
        }

        return (int)samples;
    }

    private static string UnitName(WindowUnit unit) => unit == WindowUnit.Samples ? "samples" : "seconds";

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
