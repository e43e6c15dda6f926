using CausalStream.Core.Streams;

namespace CausalStream.Lsl.Info;

/// <summary>Maps <see cref="ChannelFormat"/> to LSL's format names (<c>float32</c>, <c>int16</c>, …) and value sizes on the wire.</summary>
public static class LslChannelFormats
{
    /// <summary>The value size a liblsl inlet announces for string streams (sizeof(std::string) in libstdc++).</summary>
    public const int StringValueSizeHeader = 32;

    /// <summary>The LSL name of a format, as written in <c>channel_format</c>.</summary>
    public static string Name(ChannelFormat format) => ChannelFormatNames.Name(format);

    /// <summary>Parses an LSL format name; false for <c>undefined</c> or anything unknown.</summary>
    public static bool TryParse(string? name, out ChannelFormat format) => ChannelFormatNames.TryParse(name, out format);

    /// <summary>Bytes per value on the wire for numeric formats; 0 for strings (variable length).</summary>
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

    /// <summary>Whether the format can carry subnormal values (float32 and double64).</summary>
    public static bool HasSubnormals(ChannelFormat format) => format is ChannelFormat.Float32 or ChannelFormat.Double64;
}
