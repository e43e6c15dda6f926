using System.Buffers;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// The integer encoding of liblsl's legacy protocol 1.00 (its "portable binary archive"): 0 is the byte 00;
/// any other value is a signed count byte n followed by |n| little-endian bytes with leading 00 (or, for
/// negative values, ff) bytes dropped; n is negative for negative values.
/// </summary>
public static class LslPortableArchive
{
    /// <summary>First byte of an archive.</summary>
    public const byte Magic = 0x7f;

    /// <summary>Archive version written after the magic byte.</summary>
    public const int ArchiveVersion = 9;

    /// <summary>Largest encoded size of one integer (count byte + 8 bytes).</summary>
    public const int MaxIntegerSize = 9;

    /// <summary>Writes a signed integer.</summary>
    public static void WriteSigned(IBufferWriter<byte> writer, long value)
    {
        var span = writer.GetSpan(MaxIntegerSize);
        writer.Advance(WriteSigned(span, value));
    }

    /// <summary>Writes an unsigned integer (also used for float/double bit patterns and lengths).</summary>
    public static void WriteUnsigned(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(MaxIntegerSize);
        writer.Advance(WriteUnsigned(span, value));
    }

    /// <summary>Writes a signed integer into <paramref name="destination"/> (at least 9 bytes); returns the bytes written.</summary>
    public static int WriteSigned(Span<byte> destination, long value)
    {
        if (value == 0)
        {
            destination[0] = 0;
            return 1;
        }

        int size = 0;
        long temp = value;
        do
        {
            temp >>= 8;
            size++;
        }
        while (temp != 0 && temp != -1);
        destination[0] = (byte)(sbyte)(value > 0 ? size : -size);
        ulong bits = (ulong)value;
        for (int i = 0; i < size; i++)
        {
            destination[1 + i] = (byte)(bits >> (8 * i));
        }

        return size + 1;
    }

    /// <summary>Writes an unsigned integer into <paramref name="destination"/> (at least 9 bytes); returns the bytes written.</summary>
    public static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        if (value == 0)
        {
            destination[0] = 0;
            return 1;
        }

        int size = 0;
        ulong temp = value;
        do
        {
            temp >>= 8;
            size++;
        }
        while (temp != 0);
        destination[0] = (byte)size;
        for (int i = 0; i < size; i++)
        {
            destination[1 + i] = (byte)(value >> (8 * i));
        }

        return size + 1;
    }

    /// <summary>
    /// Reads an integer at <paramref name="position"/>; returns <see cref="LslDecodeStatus.NeedMoreData"/> when the
    /// bytes end first and <see cref="LslDecodeStatus.Invalid"/> when the count byte is out of range.
    /// </summary>
    public static LslDecodeStatus TryRead(ReadOnlySpan<byte> data, ref int position, bool signed, out long value)
    {
        value = 0;
        if (position >= data.Length)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        int n = (sbyte)data[position];
        if (n == 0)
        {
            position++;
            return LslDecodeStatus.Ok;
        }

        int size = Math.Abs(n);
        if (size > 8 || (n < 0 && !signed))
        {
            return LslDecodeStatus.Invalid;
        }

        if (position + 1 + size > data.Length)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        ulong bits = n < 0 ? ulong.MaxValue : 0;
        for (int i = 0; i < size; i++)
        {
            bits &= ~(0xffUL << (8 * i));
            bits |= (ulong)data[position + 1 + i] << (8 * i);
        }

        value = (long)bits;
        position += 1 + size;
        return LslDecodeStatus.Ok;
    }

    /// <summary>
    /// Writes the head of a legacy feed: magic, archive version, the shortinfo as a length-prefixed string, and the
    /// two zero bytes that precede the first sample.
    /// </summary>
    public static void WriteFeedHeader(IBufferWriter<byte> writer, string shortInfoXml)
    {
        var magic = writer.GetSpan(1);
        magic[0] = Magic;
        writer.Advance(1);
        WriteSigned(writer, ArchiveVersion);
        byte[] xml = System.Text.Encoding.UTF8.GetBytes(shortInfoXml);
        WriteUnsigned(writer, (ulong)xml.Length);
        var body = writer.GetSpan(xml.Length + 2);
        xml.CopyTo(body);
        body[xml.Length] = 0;
        body[xml.Length + 1] = 0;
        writer.Advance(xml.Length + 2);
    }

    /// <summary>
    /// Reads the head of a legacy feed (see <see cref="WriteFeedHeader"/>); on success <paramref name="xml"/> is the
    /// embedded shortinfo and <paramref name="consumed"/> the header length. <paramref name="error"/> says what is wrong.
    /// </summary>
    public static LslDecodeStatus TryReadFeedHeader(ReadOnlySpan<byte> data, int maxXmlBytes, out ReadOnlySpan<byte> xml, out int consumed, out string error, out int errorOffset)
    {
        xml = default;
        consumed = 0;
        error = string.Empty;
        errorOffset = 0;
        if (data.Length < 1)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        if (data[0] != Magic)
        {
            error = $"legacy feed does not start with the archive magic 0x7f (got 0x{data[0]:x2})";
            return LslDecodeStatus.Invalid;
        }

        int pos = 1;
        var status = TryRead(data, ref pos, signed: true, out long version);
        if (status != LslDecodeStatus.Ok)
        {
            error = "invalid archive version field";
            errorOffset = 1;
            return status;
        }

        int lengthAt = pos;
        status = TryRead(data, ref pos, signed: false, out long length);
        if (status != LslDecodeStatus.Ok)
        {
            error = "invalid length of the embedded stream info";
            errorOffset = lengthAt;
            return status;
        }

        if (length < 0 || length > maxXmlBytes)
        {
            error = $"embedded stream info claims {(ulong)length} bytes, more than the limit of {maxXmlBytes}";
            errorOffset = lengthAt;
            return LslDecodeStatus.Invalid;
        }

        if (pos + length + 2 > data.Length)
        {
            return LslDecodeStatus.NeedMoreData;
        }

        xml = data.Slice(pos, (int)length);
        pos += (int)length + 2;
        consumed = pos;
        _ = version;
        return LslDecodeStatus.Ok;
    }
}
