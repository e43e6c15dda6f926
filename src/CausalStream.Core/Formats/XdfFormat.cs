using CausalStream.Core.Streams;

namespace CausalStream.Core.Formats;

/// <summary>XDF's channel_format names and value sizes, and the magic bytes and boundary UUID of the format.</summary>
internal static class XdfFormat
{
    /// <summary>The 16 bytes of every Boundary chunk's content.</summary>
    public static ReadOnlySpan<byte> BoundaryUuid => [0x43, 0xA5, 0x46, 0xDC, 0xCB, 0xF5, 0x41, 0x0F, 0xB3, 0x0E, 0xD5, 0x46, 0x73, 0x83, 0xCB, 0xE4];

    public static ReadOnlySpan<byte> Magic => "XDF:"u8;

    public static string Name(ChannelFormat format) => ChannelFormatNames.Name(format);

    /// <summary>Parses a format name as XDF files spell it, ignoring case and surrounding space.</summary>
    public static bool TryParse(string? name, out ChannelFormat format)
    {
        bool known = ChannelFormatNames.TryParse(name?.Trim().ToLowerInvariant(), out format);
        if (!known)
        {
            format = ChannelFormat.Double64;
        }

        return known;
    }

    /// <summary>Bytes per value; 0 for strings (which are length-prefixed).</summary>
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
}
