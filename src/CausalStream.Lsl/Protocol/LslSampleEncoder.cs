using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// Writes samples in the LSL wire formats: protocol 1.10 (tag byte, optional timestamp, packed values in the
/// negotiated byte order, length-prefixed strings) and the legacy 1.00 portable archive. Values arrive as
/// doubles and are converted to the stream's format (integers: rounded to nearest and saturated). Allocation-free
/// for numeric samples.
/// </summary>
public static class LslSampleEncoder
{
    /// <summary>Tag byte of a sample whose timestamp is deduced by the receiver (no timestamp on the wire).</summary>
    public const byte TagDeduced = 1;

    /// <summary>Tag byte of a sample followed by its 8-byte timestamp.</summary>
    public const byte TagTimestamp = 2;

    /// <summary>Bytes of one numeric protocol 1.10 sample with a timestamp.</summary>
    public static int NumericSampleSize(ChannelFormat format, int channelCount) => 9 + (LslChannelFormats.ValueSize(format) * channelCount);

    /// <summary>Appends one numeric sample in protocol 1.10.</summary>
    public static void WriteNumeric(IBufferWriter<byte> writer, ChannelFormat format, ReadOnlySpan<double> values, double timestamp, bool deduced, bool bigEndian)
    {
        int size = NumericSampleSize(format, values.Length);
        var span = writer.GetSpan(size);
        int written = WriteNumeric(span, format, values, timestamp, deduced, bigEndian);
        writer.Advance(written);
    }

    /// <summary>Writes one numeric sample in protocol 1.10 into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteNumeric(Span<byte> destination, ChannelFormat format, ReadOnlySpan<double> values, double timestamp, bool deduced, bool bigEndian)
    {
        int pos = WriteTag(destination, timestamp, deduced, bigEndian);
        if (!bigEndian && BitConverter.IsLittleEndian)
        {
            return pos + WriteNative(destination[pos..], format, values);
        }

        switch (format)
        {
            case ChannelFormat.Float32:
                for (int i = 0; i < values.Length; i++, pos += 4)
                {
                    var d = destination.Slice(pos, 4);
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteSingleBigEndian(d, (float)values[i]);
                    }
                    else
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(d, (float)values[i]);
                    }
                }

                break;
            case ChannelFormat.Double64:
                for (int i = 0; i < values.Length; i++, pos += 8)
                {
                    var d = destination.Slice(pos, 8);
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteDoubleBigEndian(d, values[i]);
                    }
                    else
                    {
                        BinaryPrimitives.WriteDoubleLittleEndian(d, values[i]);
                    }
                }

                break;
            case ChannelFormat.Int32:
                for (int i = 0; i < values.Length; i++, pos += 4)
                {
                    int v = (int)Saturate(values[i], int.MinValue, int.MaxValue);
                    var d = destination.Slice(pos, 4);
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteInt32BigEndian(d, v);
                    }
                    else
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(d, v);
                    }
                }

                break;
            case ChannelFormat.Int16:
                for (int i = 0; i < values.Length; i++, pos += 2)
                {
                    short v = (short)Saturate(values[i], short.MinValue, short.MaxValue);
                    var d = destination.Slice(pos, 2);
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteInt16BigEndian(d, v);
                    }
                    else
                    {
                        BinaryPrimitives.WriteInt16LittleEndian(d, v);
                    }
                }

                break;
            case ChannelFormat.Int8:
                for (int i = 0; i < values.Length; i++, pos++)
                {
                    destination[pos] = (byte)(sbyte)Saturate(values[i], sbyte.MinValue, sbyte.MaxValue);
                }

                break;
            case ChannelFormat.Int64:
                for (int i = 0; i < values.Length; i++, pos += 8)
                {
                    long v = Saturate(values[i], long.MinValue, long.MaxValue);
                    var d = destination.Slice(pos, 8);
                    if (bigEndian)
                    {
                        BinaryPrimitives.WriteInt64BigEndian(d, v);
                    }
                    else
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(d, v);
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "string samples are written with WriteStrings");
        }

        return pos;
    }

    /// <summary>Values in this machine's byte order: narrow each value and store it through a reinterpreted span.</summary>
    private static int WriteNative(Span<byte> destination, ChannelFormat format, ReadOnlySpan<double> values)
    {
        int n = values.Length;
        switch (format)
        {
            case ChannelFormat.Float32:
                var f = MemoryMarshal.Cast<byte, float>(destination[..(n * 4)]);
                for (int i = 0; i < n; i++)
                {
                    f[i] = (float)values[i];
                }

                return n * 4;
            case ChannelFormat.Double64:
                values.CopyTo(MemoryMarshal.Cast<byte, double>(destination[..(n * 8)]));
                return n * 8;
            case ChannelFormat.Int32:
                var i32 = MemoryMarshal.Cast<byte, int>(destination[..(n * 4)]);
                for (int i = 0; i < n; i++)
                {
                    i32[i] = (int)Saturate(values[i], int.MinValue, int.MaxValue);
                }

                return n * 4;
            case ChannelFormat.Int16:
                var i16 = MemoryMarshal.Cast<byte, short>(destination[..(n * 2)]);
                for (int i = 0; i < n; i++)
                {
                    i16[i] = (short)Saturate(values[i], short.MinValue, short.MaxValue);
                }

                return n * 2;
            case ChannelFormat.Int8:
                for (int i = 0; i < n; i++)
                {
                    destination[i] = (byte)(sbyte)Saturate(values[i], sbyte.MinValue, sbyte.MaxValue);
                }

                return n;
            case ChannelFormat.Int64:
                var i64 = MemoryMarshal.Cast<byte, long>(destination[..(n * 8)]);
                for (int i = 0; i < n; i++)
                {
                    i64[i] = Saturate(values[i], long.MinValue, long.MaxValue);
                }

                return n * 8;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "string samples are written with WriteStrings");
        }
    }

    /// <summary>Appends one string sample in protocol 1.10 (UTF-8 bytes, each with a width byte and a length).</summary>
    public static void WriteStrings(IBufferWriter<byte> writer, ReadOnlySpan<string> values, double timestamp, bool deduced, bool bigEndian)
    {
        var head = writer.GetSpan(9);
        writer.Advance(WriteTag(head, timestamp, deduced, bigEndian));
        foreach (string value in values)
        {
            int length = Encoding.UTF8.GetByteCount(value);
            var span = writer.GetSpan(9 + length);
            int pos;
            if (length <= byte.MaxValue)
            {
                span[0] = 1;
                span[1] = (byte)length;
                pos = 2;
            }
            else
            {
                span[0] = 4;
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(span[1..], (uint)length);
                }

                pos = 5;
            }

            pos += Encoding.UTF8.GetBytes(value, span[pos..]);
            writer.Advance(pos);
        }
    }

    /// <summary>Appends one numeric sample in the legacy protocol 1.00 encoding.</summary>
    public static void WriteLegacyNumeric(IBufferWriter<byte> writer, ChannelFormat format, ReadOnlySpan<double> values, double timestamp, bool deduced)
    {
        WriteLegacyTag(writer, timestamp, deduced);
        foreach (double value in values)
        {
            switch (format)
            {
                case ChannelFormat.Float32:
                    LslPortableArchive.WriteUnsigned(writer, BitConverter.SingleToUInt32Bits((float)value));
                    break;
                case ChannelFormat.Double64:
                    LslPortableArchive.WriteUnsigned(writer, BitConverter.DoubleToUInt64Bits(value));
                    break;
                case ChannelFormat.Int32:
                    LslPortableArchive.WriteSigned(writer, Saturate(value, int.MinValue, int.MaxValue));
                    break;
                case ChannelFormat.Int16:
                    LslPortableArchive.WriteSigned(writer, Saturate(value, short.MinValue, short.MaxValue));
                    break;
                case ChannelFormat.Int8:
                    LslPortableArchive.WriteSigned(writer, Saturate(value, sbyte.MinValue, sbyte.MaxValue));
                    break;
                case ChannelFormat.Int64:
                    LslPortableArchive.WriteSigned(writer, Saturate(value, long.MinValue, long.MaxValue));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, "string samples are written with WriteLegacyStrings");
            }
        }
    }

    /// <summary>Appends one string sample in the legacy protocol 1.00 encoding.</summary>
    public static void WriteLegacyStrings(IBufferWriter<byte> writer, ReadOnlySpan<string> values, double timestamp, bool deduced)
    {
        WriteLegacyTag(writer, timestamp, deduced);
        foreach (string value in values)
        {
            int length = Encoding.UTF8.GetByteCount(value);
            LslPortableArchive.WriteUnsigned(writer, (ulong)length);
            var span = writer.GetSpan(length);
            writer.Advance(Encoding.UTF8.GetBytes(value, span));
        }
    }

    /// <summary>Rounds to nearest and clamps into [min, max]; NaN becomes 0.</summary>
    internal static long Saturate(double value, long min, long max)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        double rounded = Math.Round(value);
        if (rounded <= min)
        {
            return min;
        }

        if (rounded >= max)
        {
            return max;
        }

        return (long)rounded;
    }

    private static int WriteTag(Span<byte> destination, double timestamp, bool deduced, bool bigEndian)
    {
        if (deduced)
        {
            destination[0] = TagDeduced;
            return 1;
        }

        destination[0] = TagTimestamp;
        if (bigEndian)
        {
            BinaryPrimitives.WriteDoubleBigEndian(destination[1..], timestamp);
        }
        else
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination[1..], timestamp);
        }

        return 9;
    }

    private static void WriteLegacyTag(IBufferWriter<byte> writer, double timestamp, bool deduced)
    {
        LslPortableArchive.WriteUnsigned(writer, deduced ? TagDeduced : TagTimestamp);
        if (!deduced)
        {
            LslPortableArchive.WriteUnsigned(writer, BitConverter.DoubleToUInt64Bits(timestamp));
        }
    }
}
