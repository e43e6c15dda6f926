using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// Decodes the samples of one feed connection (protocol 1.10 in either byte order, or the legacy 1.00
/// archive) from received bytes into caller-provided spans. Keeps the previous timestamp so deduced
/// timestamps (tag 1) become previous + 1/srate, starting from 0 per connection as liblsl does.
/// Malformed input is reported as <see cref="LslDecodeStatus.Invalid"/> with <see cref="LastError"/> and
/// <see cref="LastErrorOffset"/>, never by throwing; numeric samples decode without allocating.
/// </summary>
public sealed class LslSampleDecoder
{
    /// <summary>Default cap on one string value, in bytes (16 MiB).</summary>
    public const int DefaultMaxStringBytes = 16 * 1024 * 1024;

    private readonly int _valueSize;
    private readonly double _period;
    private readonly bool _bigEndian;
    private readonly bool _legacy;
    private readonly int _maxStringBytes;

    public LslSampleDecoder(ChannelFormat format, int channelCount, double nominalSrate, bool bigEndian, bool legacy, int maxStringBytes = DefaultMaxStringBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channelCount);
        Format = format;
        ChannelCount = channelCount;
        _valueSize = LslChannelFormats.ValueSize(format);
        _period = nominalSrate > 0 ? 1.0 / nominalSrate : 0;
        _bigEndian = bigEndian;
        _legacy = legacy;
        _maxStringBytes = maxStringBytes;
    }

    public ChannelFormat Format { get; }

    public int ChannelCount { get; }

    /// <summary>Flush float32/double64 values whose exponent bits are zero to ±0 (the outlet's Suppress-Subnormals).</summary>
    public bool SuppressSubnormals { get; set; }

    /// <summary>Timestamp of the previous sample (base for deduced timestamps); 0 on a new connection.</summary>
    public double LastTimestamp { get; set; }

    /// <summary>What was wrong with the last <see cref="LslDecodeStatus.Invalid"/> sample.</summary>
    public string LastError { get; private set; } = string.Empty;

    /// <summary>Offset of the offending byte within the data passed to the failing call.</summary>
    public int LastErrorOffset { get; private set; }

    /// <summary>Decodes one numeric sample from the start of <paramref name="data"/> into <paramref name="values"/> (ChannelCount long).</summary>
    public LslDecodeStatus TryDecode(ReadOnlySpan<byte> data, Span<double> values, out double timestamp, out int consumed)
    {
        timestamp = 0;
        consumed = 0;
        if (Format == ChannelFormat.String)
        {
            return Fail(0, "numeric decode requested for a string stream");
        }

        var status = _legacy ? DecodeLegacyNumeric(data, values, out timestamp, out consumed) : DecodeNumeric(data, values, out timestamp, out consumed);
        if (status == LslDecodeStatus.Ok)
        {
            if (SuppressSubnormals)
            {
                FlushSubnormals(values);
            }

            LastTimestamp = timestamp;
        }

        return status;
    }

    /// <summary>Decodes one string sample from the start of <paramref name="data"/> into <paramref name="values"/> (ChannelCount long).</summary>
    public LslDecodeStatus TryDecodeStrings(ReadOnlySpan<byte> data, Span<string> values, out double timestamp, out int consumed)
    {
        timestamp = 0;
        consumed = 0;
        int pos = 0;
        var status = _legacy ? ReadLegacyTag(data, ref pos, out timestamp) : ReadTag(data, ref pos, out timestamp);
        if (status != LslDecodeStatus.Ok)
        {
            return status;
        }

        for (int c = 0; c < values.Length; c++)
        {
            int lengthStart = pos;
            long length;
            if (_legacy)
            {
                status = LslPortableArchive.TryRead(data, ref pos, signed: false, out length);
                if (status == LslDecodeStatus.Invalid)
                {
                    return Fail(lengthStart, $"invalid length field of string channel {c}");
                }
            }
            else
            {
                status = ReadStringLength(data, ref pos, c, out length);
            }

            if (status != LslDecodeStatus.Ok)
            {
                return status;
            }

            if (length < 0 || length > _maxStringBytes)
            {
                return Fail(lengthStart, $"string channel {c} claims {(ulong)length} bytes, more than the limit of {_maxStringBytes}");
            }

            if (pos + length > data.Length)
            {
                return LslDecodeStatus.NeedMoreData;
            }

            values[c] = Decode(data.Slice(pos, (int)length));
            pos += (int)length;
        }

        consumed = pos;
        LastTimestamp = timestamp;
        return LslDecodeStatus.Ok;
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return string.Empty;
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private void FlushSubnormals(Span<double> values)
    {
        // Float32 values were widened to double, so their subnormals are below float's smallest normal.
        double smallestNormal = Format == ChannelFormat.Float32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != 0 && Math.Abs(values[i]) < smallestNormal)
            {
                values[i] = values[i] < 0 ? -0.0 : 0.0;
            }
        }
    }

    private LslDecodeStatus DecodeNumeric(ReadOnlySpan<byte> data, Span<double> values, out double timestamp, out int consumed)
    {
        consumed = 0;
        int pos = 0;
        var status = ReadTag(data, ref pos, out timestamp);
        if (status != LslDecodeStatus.Ok)
        {
            return status;
        }

        int need = pos + (_valueSize * ChannelCount);
        if (data.Length < need)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        var v = data[pos..need];
        int n = ChannelCount;
        if (!_bigEndian && BitConverter.IsLittleEndian)
        {
            DecodeNative(v, values[..n]);
            consumed = need;
            return LslDecodeStatus.Ok;
        }

        switch (Format)
        {
            case ChannelFormat.Float32:
                for (int i = 0; i < n; i++)
                {
                    values[i] = _bigEndian ? BinaryPrimitives.ReadSingleBigEndian(v.Slice(i * 4, 4)) : BinaryPrimitives.ReadSingleLittleEndian(v.Slice(i * 4, 4));
                }

                break;
            case ChannelFormat.Double64:
                for (int i = 0; i < n; i++)
                {
                    values[i] = _bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(v.Slice(i * 8, 8)) : BinaryPrimitives.ReadDoubleLittleEndian(v.Slice(i * 8, 8));
                }

                break;
            case ChannelFormat.Int32:
                for (int i = 0; i < n; i++)
                {
                    values[i] = _bigEndian ? BinaryPrimitives.ReadInt32BigEndian(v.Slice(i * 4, 4)) : BinaryPrimitives.ReadInt32LittleEndian(v.Slice(i * 4, 4));
                }

                break;
            case ChannelFormat.Int16:
                for (int i = 0; i < n; i++)
                {
                    values[i] = _bigEndian ? BinaryPrimitives.ReadInt16BigEndian(v.Slice(i * 2, 2)) : BinaryPrimitives.ReadInt16LittleEndian(v.Slice(i * 2, 2));
                }

                break;
            case ChannelFormat.Int8:
                for (int i = 0; i < n; i++)
                {
                    values[i] = (sbyte)v[i];
                }

                break;
            case ChannelFormat.Int64:
                for (int i = 0; i < n; i++)
                {
                    values[i] = _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(v.Slice(i * 8, 8)) : BinaryPrimitives.ReadInt64LittleEndian(v.Slice(i * 8, 8));
                }

                break;
            default:
                return Fail(0, "unsupported channel format " + Format);
        }

        consumed = need;
        return LslDecodeStatus.Ok;
    }

    /// <summary>Values in this machine's byte order: reinterpret the bytes and widen, no per-value byte handling.</summary>
    private void DecodeNative(ReadOnlySpan<byte> bytes, Span<double> values)
    {
        switch (Format)
        {
            case ChannelFormat.Float32:
                var f = MemoryMarshal.Cast<byte, float>(bytes);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = f[i];
                }

                break;
            case ChannelFormat.Double64:
                MemoryMarshal.Cast<byte, double>(bytes).CopyTo(values);
                break;
            case ChannelFormat.Int32:
                var i32 = MemoryMarshal.Cast<byte, int>(bytes);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = i32[i];
                }

                break;
            case ChannelFormat.Int16:
                var i16 = MemoryMarshal.Cast<byte, short>(bytes);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = i16[i];
                }

                break;
            case ChannelFormat.Int8:
                var i8 = MemoryMarshal.Cast<byte, sbyte>(bytes);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = i8[i];
                }

                break;
            default:
                var i64 = MemoryMarshal.Cast<byte, long>(bytes);
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = i64[i];
                }

                break;
        }
    }

    private LslDecodeStatus DecodeLegacyNumeric(ReadOnlySpan<byte> data, Span<double> values, out double timestamp, out int consumed)
    {
        consumed = 0;
        int pos = 0;
        var status = ReadLegacyTag(data, ref pos, out timestamp);
        if (status != LslDecodeStatus.Ok)
        {
            return status;
        }

        bool signed = Format is not (ChannelFormat.Float32 or ChannelFormat.Double64);
        for (int c = 0; c < ChannelCount; c++)
        {
            int start = pos;
            status = LslPortableArchive.TryRead(data, ref pos, signed, out long raw);
            if (status == LslDecodeStatus.Invalid)
            {
                return Fail(start, $"invalid integer encoding of channel {c} (count byte 0x{data[start]:x2})");
            }

            if (status != LslDecodeStatus.Ok)
            {
                return status;
            }

            values[c] = Format switch
            {
                ChannelFormat.Float32 => BitConverter.UInt32BitsToSingle((uint)raw),
                ChannelFormat.Double64 => BitConverter.UInt64BitsToDouble((ulong)raw),
                ChannelFormat.Int32 => (int)raw,
                ChannelFormat.Int16 => (short)raw,
                ChannelFormat.Int8 => (sbyte)raw,
                _ => raw,
            };
        }

        consumed = pos;
        return LslDecodeStatus.Ok;
    }

    private LslDecodeStatus ReadTag(ReadOnlySpan<byte> data, ref int pos, out double timestamp)
    {
        timestamp = 0;
        if (data.Length < 1)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        byte tag = data[0];
        if (tag == LslSampleEncoder.TagDeduced)
        {
            timestamp = LastTimestamp + _period;
            pos = 1;
            return LslDecodeStatus.Ok;
        }

        if (tag != LslSampleEncoder.TagTimestamp)
        {
            return Fail(0, $"unknown sample tag byte 0x{tag:x2} (expected 0x01 or 0x02)");
        }

        if (data.Length < 9)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        timestamp = _bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(data.Slice(1, 8)) : BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(1, 8));
        pos = 9;
        return LslDecodeStatus.Ok;
    }

    private LslDecodeStatus ReadLegacyTag(ReadOnlySpan<byte> data, ref int pos, out double timestamp)
    {
        timestamp = 0;
        var status = LslPortableArchive.TryRead(data, ref pos, signed: false, out long tag);
        if (status == LslDecodeStatus.Invalid)
        {
            return Fail(0, $"invalid encoding of the sample tag (count byte 0x{data[0]:x2})");
        }

        if (status != LslDecodeStatus.Ok)
        {
            return status;
        }

        if (tag == LslSampleEncoder.TagDeduced)
        {
            timestamp = LastTimestamp + _period;
            return LslDecodeStatus.Ok;
        }

        if (tag != LslSampleEncoder.TagTimestamp)
        {
            return Fail(0, "unknown sample tag " + tag.ToString(CultureInfo.InvariantCulture) + " (expected 1 or 2)");
        }

        int start = pos;
        status = LslPortableArchive.TryRead(data, ref pos, signed: false, out long bits);
        if (status == LslDecodeStatus.Invalid)
        {
            return Fail(start, "invalid encoding of the sample timestamp");
        }

        timestamp = BitConverter.UInt64BitsToDouble((ulong)bits);
        return status;
    }

    private LslDecodeStatus ReadStringLength(ReadOnlySpan<byte> data, ref int pos, int channel, out long length)
    {
        length = 0;
        if (pos >= data.Length)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        int width = data[pos];
        if (width is not (1 or 2 or 4 or 8))
        {
            return Fail(pos, $"string channel {channel} has a length field of width {width} (expected 1, 2, 4 or 8)");
        }

        if (pos + 1 + width > data.Length)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        var field = data.Slice(pos + 1, width);
        length = width switch
        {
            1 => field[0],
            2 => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(field) : BinaryPrimitives.ReadUInt16LittleEndian(field),
            4 => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(field) : BinaryPrimitives.ReadUInt32LittleEndian(field),
            _ => (long)Math.Min(long.MaxValue, _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(field) : BinaryPrimitives.ReadUInt64LittleEndian(field)),
        };
        pos += 1 + width;
        return LslDecodeStatus.Ok;
    }

    private LslDecodeStatus Fail(int offset, string message)
    {
        LastError = message;
        LastErrorOffset = offset;
        return LslDecodeStatus.Invalid;
    }
}
