using System.Globalization;

namespace CausalStream.Lsl.Info;

/// <summary>
/// Number formatting as liblsl's iostreams produce it (classic locale), so the XML, the time probes and the
/// request headers match byte for byte: 16 significant digits with a forced decimal point in stream info,
/// 16 significant digits without trailing zeros in time probes, and the default 6-digit format in headers.
/// </summary>
public static class LslNumberText
{
    /// <summary>C's <c>%#.16g</c>: 16 significant digits, decimal point and trailing zeros kept (<c>128.0000000000000</c>).</summary>
    public static string FormatInfoDouble(double value) => FormatG(value, 16, keepTrailingZeros: true);

    /// <summary>C's <c>%.16g</c>: up to 16 significant digits, trailing zeros dropped (<c>951.9153880489999</c>).</summary>
    public static string FormatProbeDouble(double value) => FormatG(value, 16, keepTrailingZeros: false);

    /// <summary>C's <c>%g</c> (6 significant digits), as iostreams print a double by default (<c>2.13018e+06</c>).</summary>
    public static string FormatDefaultDouble(double value) => FormatG(value, 6, keepTrailingZeros: false);

    /// <summary>Parses a decimal or exponent-notation number in the invariant culture.</summary>
    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value)
        => double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static string FormatG(double value, int precision, bool keepTrailingZeros)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        // The exponent after rounding to `precision` significant digits decides fixed vs scientific, as in C.
        string e = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int ePos = e.IndexOf('E', StringComparison.Ordinal);
        int exponent = int.Parse(e.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string result;
        if (exponent < -4 || exponent >= precision)
        {
            string mantissa = e[..ePos];
            if (!keepTrailingZeros)
            {
                mantissa = TrimZeros(mantissa);
            }

            int absExp = Math.Abs(exponent);
            result = mantissa + (exponent < 0 ? "e-" : "e+") + (absExp < 10 ? "0" : string.Empty) + absExp.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            int decimals = precision - 1 - exponent;
            result = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (keepTrailingZeros)
            {
                if (result.IndexOf('.', StringComparison.Ordinal) < 0)
                {
                    result += ".";
                }
            }
            else
            {
                result = TrimZeros(result);
            }
        }

        return result;
    }

    private static string TrimZeros(string text)
    {
        if (text.IndexOf('.', StringComparison.Ordinal) < 0)
        {
            return text;
        }

        int end = text.Length;
        while (end > 0 && text[end - 1] == '0')
        {
            end--;
        }

        if (end > 0 && text[end - 1] == '.')
        {
            end--;
        }

        return text[..end];
    }
}
