using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// An archived session opened for replay or inspection (XDF, EDF+/BDF or CSV): its streams, known up front, and
/// its contents as chunks and markers in file order. Reading streams through the file; it is not loaded whole.
/// </summary>
public interface IRecording : IDisposable
{
    string File { get; }

    /// <summary>"XDF", "EDF", "EDF+", "BDF", "BDF+" or "CSV".</summary>
    string Format { get; }

    IReadOnlyList<StreamInfo> Streams { get; }

    /// <summary>Problems found on opening (skipped chunks, extra bytes), each naming the position.</summary>
    IReadOnlyList<string> Problems { get; }

    /// <summary>Earliest source time in the recording (seconds), or NaN when unknown.</summary>
    double StartTime { get; }

    /// <summary>Latest source time in the recording as far as known without reading it all (seconds), or NaN.</summary>
    double EndTime { get; }

    /// <summary>
    /// Reads chunks and markers with source times in [<paramref name="from"/>, <paramref name="to"/>] (absolute
    /// seconds) in file order. Problems met while reading go to <paramref name="onProblem"/> (stream, message). A
    /// damaged file throws <see cref="Formats.DataFormatException"/> after everything before the damage.
    /// </summary>
    IEnumerable<RecordingItem> Read(double from, double to, Action<string, string>? onProblem = null);
}
