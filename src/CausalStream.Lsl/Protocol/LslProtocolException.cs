namespace CausalStream.Lsl.Protocol;

/// <summary>
/// Bad input from an LSL peer: a malformed sample, header, XML document or datagram. The message names the
/// stream (or peer) and the byte offset in the connection or packet, so a log line points at the exact spot.
/// </summary>
public sealed class LslProtocolException : Exception
{
    public LslProtocolException(string stream, long byteOffset, string problem, Exception? inner = null)
        : base($"LSL stream '{stream}' at byte {byteOffset}: {problem}", inner)
    {
        Stream = stream;
        ByteOffset = byteOffset;
        Problem = problem;
    }

    /// <summary>Name of the stream (or a description of the peer when the name is not known yet).</summary>
    public string Stream { get; }

    /// <summary>Offset of the offending byte from the start of the connection's received data or of the packet.</summary>
    public long ByteOffset { get; }

    /// <summary>What was wrong, without the stream and offset.</summary>
    public string Problem { get; }
}
