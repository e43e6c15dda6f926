namespace CausalStream.Core.Windows;

/// <summary>The unit a <see cref="WindowSpec"/>'s length and hop are given in.</summary>
public enum WindowUnit
{
    /// <summary>Sample counts; works for any stream, including irregular ones.</summary>
    Samples,

    /// <summary>Seconds of source time; needs the stream's nominal rate to size the buffer.</summary>
    Seconds,
}
