namespace CausalStream.Core.Formats;

/// <summary>The chunk kinds of an XDF 1.0 file, by their 16-bit tag; other tags are skipped with a warning.</summary>
public enum XdfChunkTag : ushort
{
    FileHeader = 1,
    StreamHeader = 2,
    Samples = 3,
    ClockOffset = 4,
    Boundary = 5,
    StreamFooter = 6,
}
