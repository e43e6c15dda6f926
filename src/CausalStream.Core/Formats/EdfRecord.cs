namespace CausalStream.Core.Formats;

/// <summary>
/// One decoded data record of an EDF/BDF file: its index and onset, the physical values of each signal, the raw
/// digital values (for status channels), and the annotations its TALs carry. The reader reuses one record, so
/// its contents are valid until the next record is read.
/// </summary>
public sealed class EdfRecord
{
    private readonly double[][] _physical;
    private readonly int[][] _digital;
    private readonly List<EdfAnnotation> _annotations = [];

    internal EdfRecord(IReadOnlyList<EdfSignal> signals)
    {
        _physical = new double[signals.Count][];
        _digital = new int[signals.Count][];
        for (int s = 0; s < signals.Count; s++)
        {
            _physical[s] = new double[signals[s].SamplesPerRecord];
            _digital[s] = new int[signals[s].SamplesPerRecord];
        }
    }

    /// <summary>Zero-based record index in the file.</summary>
    public int Index { get; internal set; }

    /// <summary>Start of the record in seconds after the header's start time (from its time-keeping TAL in EDF+).</summary>
    public double Onset { get; internal set; }

    /// <summary>Byte offset of the record in the file.</summary>
    public long ByteOffset { get; internal set; }

    /// <summary>Annotations of this record (time-keeping TALs left out).</summary>
    public IReadOnlyList<EdfAnnotation> Annotations => _annotations;

    /// <summary>Physical values of signal <paramref name="signal"/> in this record.</summary>
    public ReadOnlySpan<double> Physical(int signal) => _physical[signal];

    /// <summary>Digital (stored) values of signal <paramref name="signal"/> in this record.</summary>
    public ReadOnlySpan<int> Digital(int signal) => _digital[signal];

    internal double[] PhysicalBuffer(int signal) => _physical[signal];

    internal int[] DigitalBuffer(int signal) => _digital[signal];

    internal List<EdfAnnotation> AnnotationBuffer => _annotations;
}
