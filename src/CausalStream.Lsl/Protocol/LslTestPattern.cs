using System.Globalization;
using CausalStream.Core.Streams;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// The two validation samples an outlet sends right after the feed header (offsets 4 then 2) and an inlet
/// checks before accepting data: timestamp 123456.789, channel k = ±(k + offset + format constant).
/// </summary>
public static class LslTestPattern
{
    /// <summary>Timestamp of both test samples.</summary>
    public const double Timestamp = 123456.789;

    /// <summary>Offset of the first test sample.</summary>
    public const int FirstOffset = 4;

    /// <summary>Offset of the second test sample.</summary>
    public const int SecondOffset = 2;

    /// <summary>Writes the numeric test values for <paramref name="offset"/> into <paramref name="values"/> (one per channel).</summary>
    public static void Fill(ChannelFormat format, int offset, Span<double> values)
    {
        for (int k = 0; k < values.Length; k++)
        {
            long magnitude = format switch
            {
                ChannelFormat.Float32 => k + offset,
                ChannelFormat.Double64 => k + offset + 16777217L,
                ChannelFormat.Int32 => (k + offset + 65537L) % 2147483647L,
                ChannelFormat.Int16 => (k + offset + 257L) % 32767L,
                ChannelFormat.Int8 => (k + offset + 1L) % 127L,
                ChannelFormat.Int64 => k + offset + 2147483649L,
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "string streams use Strings()"),
            };
            values[k] = (k % 2 == 0) ? magnitude : -magnitude;
        }
    }

    /// <summary>The string test values (both samples are equal): "10", "-11", "12", …</summary>
    public static string[] Strings(int channelCount)
    {
        var values = new string[channelCount];
        for (int k = 0; k < channelCount; k++)
        {
            int magnitude = k + 10;
            values[k] = ((k % 2 == 0) ? magnitude : -magnitude).ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }
}
