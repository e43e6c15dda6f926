using CausalStream.Core.Streams;

namespace CausalStream.Core.Formats;

/// <summary>XDF's channel_format names and value sizes, and the magic bytes and boundary UUID of the format.</summary>
internal static class XdfFormat
{
    /// <summary>The 16 bytes of every Boundary chunk's content.</summary>
    public static ReadOnlySpan<byte> BoundaryUuid => [0x43, 0xA5, 0x46, 0xDC, 0xCB, 0xF5, 0x41, 0x0F, 0xB3, 0x0E, 0xD5, 0x46, 0x73, 0x83, 0xCB, 0xE4];

    public static ReadOnlySpan<byte> Magic => "XDF:"u8;

    public static string Name(ChannelFormat format) => format switch
    {
        ChannelFormat.Float32 => "float32",
        ChannelFormat.Double64 => "double64",
        ChannelFormat.String => "string",
        ChannelFormat.Int32 => "int32",
        ChannelFormat.Int16 => "int16",
        ChannelFormat.Int8 => "int8",
        ChannelFormat.Int64 => "int64",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown channel format"),
    };

    public static bool TryParse(string? name, out ChannelFormat format)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "float32": format = ChannelFormat.Float32; return true;
            case "double64": format = ChannelFormat.Double64; return true;
            case "string": format = ChannelFormat.String; return true;
            case "int32": format = ChannelFormat.Int32; return true;
            case "int16": format = ChannelFormat.Int16; return true;
            case "int8": format = ChannelFormat.Int8; return true;
            case "int64": format = ChannelFormat.Int64; return true;
            default: format = ChannelFormat.Double64; return false;
        }
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
