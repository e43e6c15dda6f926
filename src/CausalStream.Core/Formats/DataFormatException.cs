namespace CausalStream.Core.Formats;

/// <summary>Malformed input in a file: names the file and the position (line, column or byte offset).</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, string position, string reason)
        : base($"{file}: {position}: {reason}")
    {
        File = file;
        Position = position;
        Reason = reason;
    }

    public string File { get; }

    public string Position { get; }

    public string Reason { get; }
}
