using CausalStream.Core.Formats;

namespace CausalStream.Core.Replay;

/// <summary>Opens a recording by its content: XDF (magic "XDF:"), BDF (0xFF "BIOSEMI"), EDF ("0" version field) or CSV (by extension).</summary>
public static class RecordingFile
{
    public static IRecording Open(string path, XdfReaderOptions? xdfOptions = null)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new DataFormatException(path, "(file)", "no such file");
        }

        Span<byte> head = stackalloc byte[8];
        int got;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (got >= 4 && head[..4].SequenceEqual("XDF:"u8))
        {
            return new XdfRecording(path, xdfOptions);
        }

        if (extension is ".edf" or ".bdf" || (got == 8 && (head[0] == 0xFF || head.SequenceEqual("0       "u8))))
        {
            return new EdfRecording(path);
        }

        if (extension is ".csv" or ".txt")
        {
            return new CsvRecording(path);
        }

        if (extension == ".xdf")
        {
            return new XdfRecording(path, xdfOptions);
        }

        throw new DataFormatException(path, "byte offset 0", "not a recording this program reads: expected XDF (starts with 'XDF:'), EDF/EDF+/BDF, or CSV (.csv with a header 't,<channels>')");
    }
}
