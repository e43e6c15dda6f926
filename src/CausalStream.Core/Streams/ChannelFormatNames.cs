namespace CausalStream.Core.Streams;

/// <summary>
/// The names of channel formats as LSL and XDF write them (<c>float32</c>, <c>double64</c>, <c>string</c>,
/// <c>int32</c>, <c>int16</c>, <c>int8</c>, <c>int64</c>); both formats share one spelling.
/// </summary>
public static class ChannelFormatNames
{
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

    /// <summary>Parses an exact (lower-case) format name; false for anything else, including <c>undefined</c>.</summary>
    public static bool TryParse(string? name, out ChannelFormat format)
    {
        switch (name)
        {
            case "float32": format = ChannelFormat.Float32; return true;
            case "double64": format = ChannelFormat.Double64; return true;
            case "string": format = ChannelFormat.String; return true;
            case "int32": format = ChannelFormat.Int32; return true;
            case "int16": format = ChannelFormat.Int16; return true;
            case "int8": format = ChannelFormat.Int8; return true;
            case "int64": format = ChannelFormat.Int64; return true;
            default: format = default; return false;
        }
    }
}
