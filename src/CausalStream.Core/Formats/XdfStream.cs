using CausalStream.Core.Streams;

namespace CausalStream.Core.Formats;

/// <summary>
/// What an XDF file says about one of its streams: the header (as a <see cref="StreamInfo"/> and as XML), the
/// footer if one was written, the clock offsets, and the sample count and chunk positions found by the index scan.
/// </summary>
public sealed class XdfStream
{
    private readonly List<XdfClockOffset> _clockOffsets = [];
    private readonly List<long> _clockOffsetPositions = [];

    internal XdfStream(int id, StreamInfo info, string headerXml, long headerOffset)
    {
        Id = id;
        Info = info;
        HeaderXml = headerXml;
        HeaderOffset = headerOffset;
    }

    /// <summary>The stream id used by the file's chunks.</summary>
    public int Id { get; }

    /// <summary>Name (made unique within the file), type, channels, rate and format from the header.</summary>
    public StreamInfo Info { get; }

    /// <summary>The StreamHeader chunk's XML as written.</summary>
    public string HeaderXml { get; }

    /// <summary>Byte offset of the StreamHeader chunk.</summary>
    public long HeaderOffset { get; }

    /// <summary>The StreamFooter chunk's XML, or null when the recording ended without one.</summary>
    public string? FooterXml { get; internal set; }

    /// <summary>Clock offsets in file order.</summary>
    public IReadOnlyList<XdfClockOffset> ClockOffsets => _clockOffsets;

    /// <summary>Samples counted from the Samples chunks' headers (complete chunks and the readable part of a cut one).</summary>
    public long SampleCount { get; internal set; }

    /// <summary>Samples chunks of this stream.</summary>
    public int ChunkCount { get; internal set; }

    /// <summary>The footer's sample count, when a footer was written.</summary>
    public long? FooterSampleCount { get; internal set; }

    /// <summary>The footer's first timestamp, when a footer was written.</summary>
    public double? FooterFirstTimestamp { get; internal set; }

    /// <summary>The footer's last timestamp, when a footer was written.</summary>
    public double? FooterLastTimestamp { get; internal set; }

    /// <summary>The effective rate of the stream after dejittering (pyxdf's definition); 0 until a dejittered read computed it.</summary>
    public double EffectiveRate { get; internal set; }

    internal IReadOnlyList<long> ClockOffsetPositions => _clockOffsetPositions;

    /// <summary>Clock mapping segments (by file position), set after the scan when clocks are synchronised.</summary>
    internal XdfClockSegment[] ClockSegments { get; set; } = [];

    /// <summary>Dejitter segments (by sample index), set when dejittering was requested.</summary>
    internal XdfJitterSegment[] JitterSegments { get; set; } = [];

    internal void AddClockOffset(XdfClockOffset offset, long position)
    {
        _clockOffsets.Add(offset);
        _clockOffsetPositions.Add(position);
    }

    /// <summary>Maps a raw timestamp found at file position <paramref name="position"/> onto the recorder's clock.</summary>
    internal double Correct(double raw, long position)
    {
        var segments = ClockSegments;
        if (segments.Length == 0)
        {
            return raw;
        }

        int k = 0;
        while (k + 1 < segments.Length && segments[k + 1].StartPosition <= position)
        {
            k++;
        }

        return raw + segments[k].Intercept + (segments[k].Slope * raw);
    }
}
