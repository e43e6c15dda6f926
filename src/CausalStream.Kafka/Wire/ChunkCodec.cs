using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CausalStream.Core.Streams;

namespace CausalStream.Kafka.Wire;

/// <summary>
/// The binary encoding of a <see cref="SampleChunk"/> as a Kafka message value, version 1 (docs/formats.md):
/// a 32-byte little-endian header (magic "CSCK", version, format, stream id length, sequence, first sample index,
/// channel count, sample count), the UTF-8 stream id, n float64 timestamps, then n×C values row-major in the
/// chunk's channel format. Encoding and decoding work on spans and pooled chunks: nothing is allocated per sample.
/// </summary>
public static class ChunkCodec
{
    /// <summary>The current wire version.</summary>
    public const int Version = 1;

    /// <summary>Bytes before the stream id.</summary>
    public const int HeaderSize = 32;

    /// <summary>Longest stream id in UTF-8 bytes.</summary>
    public const int MaxStreamIdBytes = 1024;

    /// <summary>Largest value of channels × samples accepted in one message (guards against absurd headers).</summary>
    public const int MaxValues = 1 << 26;

    /// <summary>The magic bytes "CSCK" read as a little-endian uint32.</summary>
    public const uint Magic = 0x4B435343;

    private const int MaxStringValueBytes = 32;

    /// <summary>The format's wire code (LSL's channel format numbers: float32 1 … int64 7).</summary>
    public static byte FormatCode(ChannelFormat format) => format switch
    {
        ChannelFormat.Float32 => 1,
        ChannelFormat.Double64 => 2,
        ChannelFormat.String => 3,
        ChannelFormat.Int32 => 4,
        ChannelFormat.Int16 => 5,
        ChannelFormat.Int8 => 6,
        ChannelFormat.Int64 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown channel format"),
    };

    /// <summary>The format of a wire code; false for codes this version does not know.</summary>
    public static bool TryParseFormatCode(int code, out ChannelFormat format)
    {
        switch (code)
        {
            case 1: format = ChannelFormat.Float32; return true;
            case 2: format = ChannelFormat.Double64; return true;
            case 3: format = ChannelFormat.String; return true;
            case 4: format = ChannelFormat.Int32; return true;
            case 5: format = ChannelFormat.Int16; return true;
            case 6: format = ChannelFormat.Int8; return true;
            case 7: format = ChannelFormat.Int64; return true;
            default: format = default; return false;
        }
    }

    /// <summary>Bytes per value of a fixed-width format; 0 for <see cref="ChannelFormat.String"/>.</summary>
    public static int ValueSize(ChannelFormat format) => format switch
    {
        ChannelFormat.Float32 => 4,
        ChannelFormat.Double64 => 8,
        ChannelFormat.Int32 => 4,
        ChannelFormat.Int16 => 2,
        ChannelFormat.Int8 => 1,
        ChannelFormat.Int64 => 8,
        _ => 0,
    };

    /// <summary>
    /// The exact encoded size for fixed-width formats, or an upper bound for <see cref="ChannelFormat.String"/>
    /// (each value at most 2 + 32 bytes).
    /// </summary>
    public static int MaxEncodedLength(int streamIdBytes, int channels, int samples, ChannelFormat format)
    {
        int width = format == ChannelFormat.String ? 2 + MaxStringValueBytes : ValueSize(format);
        return checked(HeaderSize + streamIdBytes + (samples * 8) + (samples * channels * width));
    }

    /// <summary>
    /// Encodes <paramref name="chunk"/> into <paramref name="destination"/> and returns the bytes written.
    /// Integer formats round to the nearest integer and saturate; NaN becomes 0 (integers cannot carry it).
    /// </summary>
    /// <exception cref="ArgumentException">The destination is too small or the stream id too long.</exception>
    public static int Encode(SampleChunk chunk, ReadOnlySpan<byte> streamIdUtf8, long sequence, long firstSampleIndex, ChannelFormat format, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (streamIdUtf8.Length is 0 or > MaxStreamIdBytes)
        {
            throw new ArgumentException($"stream '{chunk.Stream.Name}': the stream id must be 1..{MaxStreamIdBytes} UTF-8 bytes (was {streamIdUtf8.Length})", nameof(streamIdUtf8));
        }

        int n = chunk.SampleCount;
        int c = chunk.ChannelCount;
        int bound = MaxEncodedLength(streamIdUtf8.Length, c, n, format);
        if (format != ChannelFormat.String && destination.Length < bound)
        {
            throw new ArgumentException($"stream '{chunk.Stream.Name}': {bound} bytes are needed to encode the chunk, the buffer holds {destination.Length}", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        destination[4] = Version;
        destination[5] = FormatCode(format);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)streamIdUtf8.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], firstSampleIndex);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], c);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], n);
        streamIdUtf8.CopyTo(destination[HeaderSize..]);
        int at = HeaderSize + streamIdUtf8.Length;
        var stamps = chunk.Timestamps;
        for (int i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(destination[at..], stamps[i]);
            at += 8;
        }

        var values = chunk.Values;
        switch (format)
        {
            case ChannelFormat.Float32:
                for (int i = 0; i < values.Length; i++, at += 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination[at..], (float)values[i]);
                }

                break;
            case ChannelFormat.Double64:
                for (int i = 0; i < values.Length; i++, at += 8)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(destination[at..], values[i]);
                }

                break;
            case ChannelFormat.Int32:
                for (int i = 0; i < values.Length; i++, at += 4)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination[at..], (int)Saturate(values[i], int.MinValue, int.MaxValue));
                }

                break;
            case ChannelFormat.Int16:
                for (int i = 0; i < values.Length; i++, at += 2)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(destination[at..], (short)Saturate(values[i], short.MinValue, short.MaxValue));
                }

                break;
            case ChannelFormat.Int8:
                for (int i = 0; i < values.Length; i++, at += 1)
                {
                    destination[at] = unchecked((byte)(sbyte)Saturate(values[i], sbyte.MinValue, sbyte.MaxValue));
                }

                break;
            case ChannelFormat.Int64:
                for (int i = 0; i < values.Length; i++, at += 8)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(destination[at..], SaturateInt64(values[i]));
                }

                break;
            case ChannelFormat.String:
                for (int i = 0; i < values.Length; i++)
                {
                    if (destination.Length < at + 2 + MaxStringValueBytes)
                    {
                        throw new ArgumentException($"stream '{chunk.Stream.Name}': the buffer of {destination.Length} bytes is too small for the string encoding; use MaxEncodedLength", nameof(destination));
                    }

                    if (!values[i].TryFormat(destination[(at + 2)..(at + 2 + MaxStringValueBytes)], out int written, "R", CultureInfo.InvariantCulture))
                    {
                        throw new InvalidOperationException($"stream '{chunk.Stream.Name}': value {values[i]} does not format in {MaxStringValueBytes} bytes");
                    }

                    BinaryPrimitives.WriteUInt16LittleEndian(destination[at..], (ushort)written);
                    at += 2 + written;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown channel format");
        }

        return at;
    }

    /// <summary>Reads and checks the header: magic, version, format, sizes and the exact total length.</summary>
    public static ChunkDecodeStatus TryReadHeader(ReadOnlySpan<byte> message, out ChunkHeader header, out string reason)
    {
        header = default;
        if (message.Length < HeaderSize)
        {
            reason = $"message of {message.Length} bytes is shorter than the {HeaderSize}-byte chunk header";
            return ChunkDecodeStatus.TooShort;
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(message);
        if (magic != Magic)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"field 'magic' is 0x{magic:X8}, expected 0x{Magic:X8} (\"CSCK\")");
            return ChunkDecodeStatus.BadMagic;
        }

        int version = message[4];
        if (version != Version)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"field 'version' is {version}; this reader understands version {Version}");
            return ChunkDecodeStatus.UnsupportedVersion;
        }

        if (!TryParseFormatCode(message[5], out var format))
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"field 'format' has unknown code {message[5]} (1..7)");
            return ChunkDecodeStatus.UnknownFormat;
        }

        int idLength = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(message[8..]);
        long first = BinaryPrimitives.ReadInt64LittleEndian(message[16..]);
        int channels = BinaryPrimitives.ReadInt32LittleEndian(message[24..]);
        int samples = BinaryPrimitives.ReadInt32LittleEndian(message[28..]);
        if (idLength is 0 or > MaxStreamIdBytes || channels <= 0 || samples < 0 || (long)channels * samples > MaxValues || first < 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"header fields out of range: stream id length {idLength} (1..{MaxStreamIdBytes}), channel count {channels} (> 0), sample count {samples} (>= 0, channels × samples <= {MaxValues}), first sample index {first} (>= 0)");
            return ChunkDecodeStatus.BadShape;
        }

        header = new ChunkHeader(version, format, sequence, first, channels, samples, HeaderSize, idLength);
        long minimum = HeaderSize + idLength + (8L * samples);
        if (format == ChannelFormat.String)
        {
            minimum += 2L * samples * channels;
            if (message.Length < minimum)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"field 'length': message of {message.Length} bytes is shorter than the {minimum} bytes {samples} samples × {channels} string channels need at least");
                return ChunkDecodeStatus.BadLength;
            }
        }
        else
        {
            long expected = minimum + ((long)samples * channels * ValueSize(format));
            if (message.Length != expected)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"field 'length': message is {message.Length} bytes, {samples} samples × {channels} channels of {ChannelFormatNames.Name(format)} make {expected}");
                return ChunkDecodeStatus.BadLength;
            }
        }

        reason = string.Empty;
        return ChunkDecodeStatus.Ok;
    }

    /// <summary>
    /// Decodes a message against the known streams: the header must be valid, the stream known and its channel
    /// count equal to the metadata's. On success the result holds a pooled chunk the caller disposes.
    /// </summary>
    public static ChunkDecodeResult Decode(ReadOnlySpan<byte> message, StreamRegistry streams, long arrivalTicks)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var status = TryReadHeader(message, out var header, out string reason);
        if (status != ChunkDecodeStatus.Ok)
        {
            return new ChunkDecodeResult(status, reason, header, null, null);
        }

        var id = message.Slice(header.StreamIdOffset, header.StreamIdLength);
        if (!streams.TryGet(id, out var stream))
        {
            return new ChunkDecodeResult(ChunkDecodeStatus.UnknownStream, $"field 'stream id': '{Utf8(id)}' has no metadata (the streams topic or configuration does not declare it)", header, null, null);
        }

        if (header.ChannelCount != stream.ChannelCount)
        {
            return new ChunkDecodeResult(ChunkDecodeStatus.ChannelCountMismatch, string.Create(CultureInfo.InvariantCulture, $"field 'channel count': chunk {header.Sequence} of stream '{stream.Name}' has {header.ChannelCount} channels, the stream's metadata declares {stream.ChannelCount}"), header, stream, null);
        }

        var chunk = SampleChunk.Rent(stream, header.SampleCount, header.ChannelCount, arrivalTicks);
        if (!TryReadPayload(message, header, chunk, out reason))
        {
            chunk.Dispose();
            return new ChunkDecodeResult(ChunkDecodeStatus.BadValue, $"stream '{stream.Name}' chunk {header.Sequence}: {reason}", header, stream, null);
        }

        return new ChunkDecodeResult(ChunkDecodeStatus.Ok, string.Empty, header, stream, chunk);
    }

    /// <summary>Reads timestamps and values of a message whose header was checked into <paramref name="chunk"/> (sized n × C).</summary>
    public static bool TryReadPayload(ReadOnlySpan<byte> message, ChunkHeader header, SampleChunk chunk, out string reason)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        int n = header.SampleCount;
        int at = header.StreamIdOffset + header.StreamIdLength;
        var stamps = chunk.Timestamps;
        for (int i = 0; i < n; i++, at += 8)
        {
            stamps[i] = BinaryPrimitives.ReadDoubleLittleEndian(message[at..]);
        }

        var values = chunk.Values;
        switch (header.Format)
        {
            case ChannelFormat.Float32:
                for (int i = 0; i < values.Length; i++, at += 4)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(message[at..]);
                }

                break;
            case ChannelFormat.Double64:
                for (int i = 0; i < values.Length; i++, at += 8)
                {
                    values[i] = BinaryPrimitives.ReadDoubleLittleEndian(message[at..]);
                }

                break;
            case ChannelFormat.Int32:
                for (int i = 0; i < values.Length; i++, at += 4)
                {
                    values[i] = BinaryPrimitives.ReadInt32LittleEndian(message[at..]);
                }

                break;
            case ChannelFormat.Int16:
                for (int i = 0; i < values.Length; i++, at += 2)
                {
                    values[i] = BinaryPrimitives.ReadInt16LittleEndian(message[at..]);
                }

                break;
            case ChannelFormat.Int8:
                for (int i = 0; i < values.Length; i++, at += 1)
                {
                    values[i] = (sbyte)message[at];
                }

                break;
            case ChannelFormat.Int64:
                for (int i = 0; i < values.Length; i++, at += 8)
                {
                    values[i] = BinaryPrimitives.ReadInt64LittleEndian(message[at..]);
                }

                break;
            case ChannelFormat.String:
                for (int i = 0; i < values.Length; i++)
                {
                    if (message.Length < at + 2)
                    {
                        reason = string.Create(CultureInfo.InvariantCulture, $"field 'values': message ends at byte {message.Length} inside string value {i}");
                        return false;
                    }

                    int length = BinaryPrimitives.ReadUInt16LittleEndian(message[at..]);
                    at += 2;
                    if (message.Length < at + length || !Utf8Parser.TryParse(message.Slice(at, length), out double value, out int consumed) || consumed != length)
                    {
                        reason = string.Create(CultureInfo.InvariantCulture, $"field 'values': string value {i} (byte {at - 2}, {length} bytes) is not a number or runs past the end");
                        return false;
                    }

                    values[i] = value;
                    at += length;
                }

                if (at != message.Length)
                {
                    reason = string.Create(CultureInfo.InvariantCulture, $"field 'length': {message.Length - at} bytes follow the last string value");
                    return false;
                }

                break;
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>The stream id of a message whose header is valid (allocates the string; for errors and tools).</summary>
    public static string StreamId(ReadOnlySpan<byte> message, ChunkHeader header) => Utf8(message.Slice(header.StreamIdOffset, header.StreamIdLength));

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static double Saturate(double value, double min, double max)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return rounded < min ? min : rounded > max ? max : rounded;
    }

    private static long SaturateInt64(double value)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        if (rounded >= 9.2233720368547758E18)
        {
            return long.MaxValue;
        }

        return rounded <= -9.2233720368547758E18 ? long.MinValue : (long)rounded;
    }
}
