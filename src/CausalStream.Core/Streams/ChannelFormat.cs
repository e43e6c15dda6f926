namespace CausalStream.Core.Streams;

/// <summary>The value type a stream's channels carry on the wire or in a file (the LSL channel formats).</summary>
public enum ChannelFormat
{
    Float32,
    Double64,
    String,
    Int32,
    Int16,
    Int8,
    Int64,
}
