using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CausalStream.Core.Streams;
using Microsoft.Win32.SafeHandles;

namespace CausalStream.Core.Formats;

/// <summary>
/// Reads an XDF 1.0 file without loading it. <see cref="Open"/> walks the chunk headers once (skipping sample
/// payloads) to learn the streams, clock offsets and footers and to build a seek index of Samples and Boundary
/// chunks; <see cref="ReadSamples"/> then decodes Samples chunks in file order, one reused block per stream, with
/// timestamps mapped onto the recorder's clock as pyxdf does. A damaged chunk framing is skipped up to the next
/// Boundary chunk with a problem naming the byte offset; a truncated file delivers every complete sample before
/// the cut and then throws a <see cref="DataFormatException"/> naming it.
/// </summary>
public sealed class XdfReader : IDisposable
{
    private const int ScanHeadBytes = 48;

    private readonly SafeFileHandle _handle;
    private readonly List<XdfStream> _streams = [];
    private readonly Dictionary<int, XdfStream> _byId = [];
    private readonly List<XdfIndexEntry> _index = [];
    private readonly List<long> _indexFirstSample = [];
    private readonly List<long> _boundaries = [];
    private readonly List<string> _problems = [];
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly HashSet<int> _unknownIds = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private bool _disposed;

    private XdfReader(SafeFileHandle handle, string file, XdfReaderOptions options)
    {
        _handle = handle;
        File = file;
        Options = options;
        Length = RandomAccess.GetLength(handle);
    }

    /// <summary>The file's path as given.</summary>
    public string File { get; }

    public XdfReaderOptions Options { get; }

    /// <summary>File size in bytes when it was opened.</summary>
    public long Length { get; }

    /// <summary>The FileHeader chunk's XML.</summary>
    public string FileHeaderXml { get; private set; } = string.Empty;

    /// <summary>Streams in the order of their headers.</summary>
    public IReadOnlyList<XdfStream> Streams => _streams;

    /// <summary>Every Samples chunk, in file order.</summary>
    public IReadOnlyList<XdfIndexEntry> Index => _index;

    /// <summary>Byte offsets of the Boundary chunks.</summary>
    public IReadOnlyList<long> Boundaries => _boundaries;

    /// <summary>Problems met and passed over (unknown chunk tags, damaged chunks skipped), each naming the byte offset.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Damage that ends the readable part of the file (a cut), or null; <see cref="ReadSamples"/> throws it after delivering everything before.</summary>
    public DataFormatException? Damage { get; private set; }

    /// <summary>Earliest first timestamp (after clock correction) over the streams' indexed chunks, or NaN when no chunk carries one.</summary>
    public double StartTime { get; private set; } = double.NaN;

    /// <summary>Opens and indexes <paramref name="path"/>. Throws <see cref="DataFormatException"/> when it is not an XDF file.</summary>
    public static XdfReader Open(string path, XdfReaderOptions? options = null)
    {
        SafeFileHandle handle;
        try
        {
            handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "(file)", $"cannot open: {ex.Message}");
        }

        var reader = new XdfReader(handle, path, options ?? new XdfReaderOptions());
        try
        {
            reader.Scan();
            reader.Synchronize();
            if (reader.Options.Dejitter)
            {
                reader.ComputeJitterSegments();
            }

            reader.ComputeStartTime();
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes the Samples chunks in file order and yields one block per chunk (reused per stream: valid until
    /// the next block of the same stream). Only samples with <paramref name="from"/> ≤ t ≤ <paramref name="to"/>
    /// (timestamps after correction) are kept; reading starts at the last indexed chunk of each stream before
    /// <paramref name="from"/>. Problems found while decoding go to <paramref name="onProblem"/> and
    /// <see cref="Problems"/>; a cut file throws <see cref="Damage"/> after the last complete sample.
    /// </summary>
    public IEnumerable<XdfSampleBlock> ReadSamples(double from = double.NegativeInfinity, double to = double.PositiveInfinity, Action<string>? onProblem = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var state = new Dictionary<int, ReadState>();
        foreach (var stream in _streams)
        {
            state[stream.Id] = new ReadState(new XdfSampleBlock(stream));
        }

        long position = SeekStart(from, state);
        int active = 0;
        foreach (var stream in _streams)
        {
            if (stream.SampleCount > 0)
            {
                active++;
            }
        }

        while (active > 0)
        {
            var step = NextChunk(ref position, report: false, out var chunk);
            if (step == Step.End)
            {
                yield break;
            }

            if (step == Step.Damaged)
            {
                throw Damage!;
            }

            long next = chunk.ContentOffset + chunk.ContentLength;
            if (chunk.Tag == (ushort)XdfChunkTag.Samples && chunk.Available >= 4)
            {
                int id = ReadStreamId(chunk);
                if (state.TryGetValue(id, out var s) && chunk.Offset >= s.StartOffset && !s.Done)
                {
                    var block = s.Block;
                    string? error = DecodeChunk(chunk, block, ref s.LastRaw);
                    if (error is not null)
                    {
                        Report(error, onProblem);
                    }

                    int decoded = block.Count;
                    FinishTimestamps(block, chunk.Offset, s.NextSample);
                    s.NextSample += decoded;
                    int keepStart = 0;
                    int keepEnd = decoded;
                    var stamps = block.Timestamps;
                    while (keepStart < keepEnd && stamps[keepStart] < from)
                    {
                        keepStart++;
                    }

                    int lastKept = keepStart;
                    while (lastKept < keepEnd && stamps[lastKept] <= to)
                    {
                        lastKept++;
                    }

                    if (lastKept < keepEnd)
                    {
                        s.Done = true;
                        active--;
                    }

                    block.Keep(keepStart, lastKept - keepStart);
                    if (block.Count > 0)
                    {
                        yield return block;
                    }
                }
            }

            if (chunk.Available < chunk.ContentLength)
            {
                throw Damage!;
            }

            position = next;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _handle.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private enum Step
    {
        Chunk,
        End,
        Damaged,
    }

    private void Scan()
    {
        Span<byte> magic = stackalloc byte[4];
        int got = RandomAccess.Read(_handle, magic, 0);
        if (got < 4 || !magic.SequenceEqual(XdfFormat.Magic))
        {
            string found = got == 0 ? "the file is empty" : $"it starts with {Convert.ToHexString(magic[..got])}";
            throw new DataFormatException(File, "byte offset 0", $"not an XDF file: expected the magic 'XDF:', {found}");
        }

        long position = 4;
        Span<byte> head = stackalloc byte[ScanHeadBytes];
        while (true)
        {
            var step = NextChunk(ref position, report: true, out var chunk);
            if (step != Step.Chunk)
            {
                return;
            }

            switch ((XdfChunkTag)chunk.Tag)
            {
                case XdfChunkTag.FileHeader:
                    FileHeaderXml = ReadText(chunk, 0);
                    break;
                case XdfChunkTag.StreamHeader:
                    AddStream(chunk);
                    break;
                case XdfChunkTag.Samples:
                    IndexSamples(chunk, head);
                    break;
                case XdfChunkTag.ClockOffset:
                    AddClockOffset(chunk);
                    break;
                case XdfChunkTag.Boundary:
                    CheckBoundary(chunk);
                    break;
                case XdfChunkTag.StreamFooter:
                    AddFooter(chunk);
                    break;
                default:
                    Report($"{File}: byte offset {chunk.Offset}: unknown chunk tag {chunk.Tag} ({chunk.ContentLength + 2} bytes); skipped", null);
                    break;
            }

            if (chunk.Available < chunk.ContentLength)
            {
                return;
            }

            position = chunk.ContentOffset + chunk.ContentLength;
        }
    }

    /// <summary>Reads the chunk framing at <paramref name="position"/>, skipping damaged framing to the next Boundary chunk.</summary>
    private Step NextChunk(ref long position, bool report, out Chunk chunk)
    {
        chunk = default;
        Span<byte> head = stackalloc byte[11];
        while (true)
        {
            if (position >= Length)
            {
                return Step.End;
            }

            int got = RandomAccess.Read(_handle, head, position);
            int lengthBytes = head[0];
            string? corruption = null;
            if (lengthBytes is not (1 or 4 or 8))
            {
                corruption = $"invalid chunk length-field size {lengthBytes} (expected 1, 4 or 8)";
            }
            else if (got < 1 + lengthBytes + 2)
            {
                SetDamage(position, $"the file is truncated inside a chunk header ({Length - position} bytes left); everything before was read");
                return Step.Damaged;
            }
            else
            {
                ulong length = ReadVarLength(head[1..], lengthBytes);
                ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(head[(1 + lengthBytes)..]);
                long contentOffset = position + 1 + lengthBytes + 2;
                if (length < 2)
                {
                    corruption = $"chunk length {length} is shorter than its 2-byte tag";
                }
                else if (length - 2 > (ulong)(Length - contentOffset))
                {
                    long available = Length - contentOffset;
                    if (FindBoundary(contentOffset) >= 0)
                    {
                        corruption = $"chunk length {length} (tag {tag}) runs past the end of the file although a Boundary chunk follows: the length field is corrupt";
                    }
                    else
                    {
                        chunk = new Chunk(position, tag, contentOffset, (long)(length - 2), available);
                        SetDamage(position, $"the file is truncated: the chunk here (tag {tag}) declares {length - 2} content bytes but only {available} remain; everything before the cut was read");
                        return Step.Chunk;
                    }
                }
                else
                {
                    chunk = new Chunk(position, tag, contentOffset, (long)(length - 2), (long)(length - 2));
                    return Step.Chunk;
                }
            }

            long resume = FindBoundary(position + 1);
            if (resume < 0)
            {
                SetDamage(position, corruption + "; no Boundary chunk follows to resynchronise at, so reading stops here");
                return Step.Damaged;
            }

            if (report)
            {
                Report($"{File}: byte offset {position}: {corruption}; skipped {resume - position} bytes to the end of the next Boundary chunk", null);
            }

            position = resume;
        }
    }

    private long DamageOffset { get; set; } = long.MaxValue;

    private void SetDamage(long offset, string reason)
    {
        if (Damage is null || offset < DamageOffset)
        {
            DamageOffset = offset;
            Damage = new DataFormatException(File, $"byte offset {offset}", reason);
        }
    }

    /// <summary>The offset just after the first Boundary UUID at or after <paramref name="from"/>, or -1.</summary>
    private long FindBoundary(long from)
    {
        var uuid = XdfFormat.BoundaryUuid;
        var window = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long position = from;
            while (position < Length)
            {
                int got = RandomAccess.Read(_handle, window.AsSpan(0, 1 << 16), position);
                if (got < uuid.Length)
                {
                    return -1;
                }

                int at = window.AsSpan(0, got).IndexOf(uuid);
                if (at >= 0)
                {
                    return position + at + uuid.Length;
                }

                position += got - uuid.Length + 1;
            }

            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private static ulong ReadVarLength(ReadOnlySpan<byte> bytes, int size) => size switch
    {
        1 => bytes[0],
        4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
    };

    private ReadOnlySpan<byte> Load(Chunk chunk, long skip = 0)
    {
        long length = chunk.Available - skip;
        if (length <= 0)
        {
            return [];
        }

        if (length > Array.MaxLength)
        {
            throw new DataFormatException(File, $"byte offset {chunk.Offset}", $"chunk of {length} bytes is too large to decode");
        }

        if (_buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent((int)length);
        }

        var span = _buffer.AsSpan(0, (int)length);
        int got = RandomAccess.Read(_handle, span, chunk.ContentOffset + skip);
        return span[..got];
    }

    private string ReadText(Chunk chunk, int skip) => Encoding.UTF8.GetString(Load(chunk, skip));

    private int ReadStreamId(Chunk chunk)
    {
        Span<byte> id = stackalloc byte[4];
        RandomAccess.Read(_handle, id, chunk.ContentOffset);
        return BinaryPrimitives.ReadInt32LittleEndian(id);
    }

    private void AddStream(Chunk chunk)
    {
        if (chunk.Available < 4)
        {
            Report($"{File}: byte offset {chunk.Offset}: StreamHeader chunk too short for a stream id; skipped", null);
            return;
        }

        int id = ReadStreamId(chunk);
        string xml = ReadText(chunk, 4);
        if (_byId.ContainsKey(id))
        {
            Report($"{File}: byte offset {chunk.Offset}: a second StreamHeader for stream id {id}; the first is kept", null);
            return;
        }

        XElement info;
        try
        {
            info = XDocument.Parse(xml).Root ?? throw new XmlException("no root element");
        }
        catch (XmlException ex)
        {
            Report($"{File}: byte offset {chunk.Offset}: StreamHeader of stream id {id} is not readable XML ({ex.Message}); the stream is skipped", null);
            return;
        }

        string name = Text(info, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            name = "stream " + id.ToString(CultureInfo.InvariantCulture);
        }

        if (!_names.Add(name))
        {
            name = $"{name} ({id.ToString(CultureInfo.InvariantCulture)})";
            _names.Add(name);
        }

        string where = $"{File}: byte offset {chunk.Offset}: stream '{name}' (id {id})";
        if (!int.TryParse(Text(info, "channel_count"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int channels) || channels <= 0)
        {
            Report($"{where}: channel_count '{Text(info, "channel_count")}' is not a positive integer; the stream is skipped", null);
            return;
        }

        if (!XdfFormat.TryParse(Text(info, "channel_format"), out var format))
        {
            Report($"{where}: unknown channel_format '{Text(info, "channel_format")}'; the stream is skipped", null);
            return;
        }

        if (!double.TryParse(Text(info, "nominal_srate"), NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !(rate >= 0) || double.IsInfinity(rate))
        {
            Report($"{where}: nominal_srate '{Text(info, "nominal_srate")}' is not a finite number >= 0; read as irregular (0)", null);
            rate = 0;
        }

        string[]? labels = null;
        string[]? units = null;
        var channelElements = info.Element("desc")?.Element("channels")?.Elements("channel").ToList();
        if (channelElements is { Count: > 0 } && channelElements.Count == channels)
        {
            labels = new string[channels];
            units = new string[channels];
            for (int c = 0; c < channels; c++)
            {
                string label = Text(channelElements[c], "label");
                labels[c] = label.Length > 0 ? label : "ch" + (c + 1).ToString(CultureInfo.InvariantCulture);
                units[c] = Text(channelElements[c], "unit");
            }
        }

        string sourceId = Text(info, "source_id");
        var stream = new XdfStream(id, new StreamInfo(name, Text(info, "type"), sourceId, channels, rate, format, labels, units), xml, chunk.Offset);
        _streams.Add(stream);
        _byId[id] = stream;
    }

    private static string Text(XElement parent, string child) => parent.Element(child)?.Value.Trim() ?? string.Empty;

    private XdfStream? Known(int id, Chunk chunk, string what)
    {
        if (_byId.TryGetValue(id, out var stream))
        {
            return stream;
        }

        if (_unknownIds.Add(id))
        {
            Report($"{File}: byte offset {chunk.Offset}: {what} chunk for stream id {id}, which has no readable StreamHeader; its chunks are skipped", null);
        }

        return null;
    }

    private void IndexSamples(Chunk chunk, Span<byte> head)
    {
        int got = RandomAccess.Read(_handle, head[..(int)Math.Min(head.Length, chunk.Available)], chunk.ContentOffset);
        var bytes = head[..got];
        if (bytes.Length < 5)
        {
            Report($"{File}: byte offset {chunk.Offset}: Samples chunk too short for its stream id and sample count; skipped", null);
            return;
        }

        int id = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var stream = Known(id, chunk, "Samples");
        if (stream is null)
        {
            return;
        }

        int countBytes = bytes[4];
        if (countBytes is not (1 or 4 or 8) || bytes.Length < 5 + countBytes)
        {
            Report($"{File}: byte offset {chunk.Offset}: Samples chunk of stream '{stream.Info.Name}' has an invalid sample-count field; skipped", null);
            return;
        }

        ulong count = ReadVarLength(bytes[5..], countBytes);
        int p = 5 + countBytes;
        double first = double.NaN;
        if (bytes.Length > p && bytes[p] == 8 && bytes.Length >= p + 9)
        {
            first = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(p + 1)..]);
        }

        if (chunk.Available < chunk.ContentLength)
        {
            // The cut chunk: count what is really there.
            var block = new XdfSampleBlock(stream);
            double last = 0;
            DecodeChunk(chunk, block, ref last);
            count = (ulong)block.Count;
        }

        if (count > int.MaxValue || count > (ulong)chunk.ContentLength)
        {
            Report($"{File}: byte offset {chunk.Offset}: Samples chunk of stream '{stream.Info.Name}' claims {count} samples in {chunk.ContentLength} bytes; skipped", null);
            return;
        }

        if (count == 0)
        {
            return;
        }

        _index.Add(new XdfIndexEntry(chunk.Offset, id, (int)count, first));
        _indexFirstSample.Add(stream.SampleCount);
        stream.SampleCount += (long)count;
        stream.ChunkCount++;
    }

    private void AddClockOffset(Chunk chunk)
    {
        var bytes = Load(chunk);
        if (bytes.Length < 20)
        {
            Report($"{File}: byte offset {chunk.Offset}: ClockOffset chunk has {bytes.Length} bytes, expected 20; skipped", null);
            return;
        }

        var stream = Known(BinaryPrimitives.ReadInt32LittleEndian(bytes), chunk, "ClockOffset");
        stream?.AddClockOffset(new XdfClockOffset(BinaryPrimitives.ReadDoubleLittleEndian(bytes[4..]), BinaryPrimitives.ReadDoubleLittleEndian(bytes[12..])), chunk.Offset);
    }

    private void CheckBoundary(Chunk chunk)
    {
        var bytes = Load(chunk);
        if (!bytes.SequenceEqual(XdfFormat.BoundaryUuid))
        {
            Report($"{File}: byte offset {chunk.Offset}: Boundary chunk does not hold the boundary UUID; ignored", null);
            return;
        }

        _boundaries.Add(chunk.Offset);
    }

    private void AddFooter(Chunk chunk)
    {
        if (chunk.Available < 4)
        {
            return;
        }

        var stream = Known(ReadStreamId(chunk), chunk, "StreamFooter");
        if (stream is null)
        {
            return;
        }

        string xml = ReadText(chunk, 4);
        stream.FooterXml = xml;
        try
        {
            var info = XDocument.Parse(xml).Root;
            if (info is null)
            {
                return;
            }

            if (long.TryParse(Text(info, "sample_count"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long count))
            {
                stream.FooterSampleCount = count;
            }

            if (double.TryParse(Text(info, "first_timestamp"), NumberStyles.Float, CultureInfo.InvariantCulture, out double first))
            {
                stream.FooterFirstTimestamp = first;
            }

            if (double.TryParse(Text(info, "last_timestamp"), NumberStyles.Float, CultureInfo.InvariantCulture, out double last))
            {
                stream.FooterLastTimestamp = last;
            }
        }
        catch (XmlException ex)
        {
            Report($"{File}: byte offset {chunk.Offset}: StreamFooter of stream '{stream.Info.Name}' is not readable XML ({ex.Message}); ignored", null);
        }
    }

    private void Synchronize()
    {
        if (!Options.SynchronizeClocks)
        {
            return;
        }

        foreach (var stream in _streams)
        {
            stream.ClockSegments = XdfClockSync.Fit(stream, Options);
        }
    }

    /// <summary>Second pass over the timestamps only: the per-segment linear fits of pyxdf's jitter removal.</summary>
    private void ComputeJitterSegments()
    {
        var fits = new Dictionary<int, XdfJitterFit>();
        foreach (var stream in _streams)
        {
            if (stream.Info.NominalRate > 0 && stream.SampleCount > 0)
            {
                double period = 1 / stream.Info.NominalRate;
                fits[stream.Id] = new XdfJitterFit(Math.Max(Options.JitterBreakSeconds, Options.JitterBreakSamples * period), period);
            }
        }

        if (fits.Count == 0)
        {
            return;
        }

        var blocks = new Dictionary<int, (XdfSampleBlock Block, double Last)>();
        for (int i = 0; i < _index.Count; i++)
        {
            var entry = _index[i];
            if (!fits.TryGetValue(entry.StreamId, out var fit))
            {
                continue;
            }

            if (!blocks.TryGetValue(entry.StreamId, out var state))
            {
                state = (new XdfSampleBlock(_byId[entry.StreamId]), 0);
            }

            long position = entry.Offset;
            if (NextChunk(ref position, report: false, out var chunk) != Step.Chunk)
            {
                break;
            }

            double last = state.Last;
            DecodeChunk(chunk, state.Block, ref last);
            blocks[entry.StreamId] = (state.Block, last);
            var stamps = state.Block.Timestamps;
            for (int k = 0; k < stamps.Length; k++)
            {
                fit.Add(state.Block.Stream.Correct(stamps[k], chunk.Offset));
            }
        }

        foreach (var (id, fit) in fits)
        {
            var stream = _byId[id];
            stream.JitterSegments = fit.Finish(out double effectiveRate);
            stream.EffectiveRate = effectiveRate;
        }
    }

    private void ComputeStartTime()
    {
        double start = double.PositiveInfinity;
        var seen = new HashSet<int>();
        foreach (var entry in _index)
        {
            if (seen.Add(entry.StreamId) && !double.IsNaN(entry.FirstTimestamp))
            {
                start = Math.Min(start, _byId[entry.StreamId].Correct(entry.FirstTimestamp, entry.Offset));
            }
        }

        StartTime = double.IsPositiveInfinity(start) ? double.NaN : start;
    }

    private long SeekStart(double from, Dictionary<int, ReadState> state)
    {
        if (double.IsNegativeInfinity(from) || _index.Count == 0)
        {
            return 4;
        }

        // Per stream: the last chunk whose explicit first timestamp is at least one second before 'from'.
        var chosen = new Dictionary<int, int>();
        for (int i = 0; i < _index.Count; i++)
        {
            var entry = _index[i];
            if (double.IsNaN(entry.FirstTimestamp))
            {
                continue;
            }

            if (_byId[entry.StreamId].Correct(entry.FirstTimestamp, entry.Offset) <= from - 1)
            {
                chosen[entry.StreamId] = i;
            }
        }

        long start = long.MaxValue;
        foreach (var stream in _streams)
        {
            if (stream.SampleCount == 0)
            {
                continue;
            }

            if (!chosen.TryGetValue(stream.Id, out int i))
            {
                return 4;
            }

            var s = state[stream.Id];
            s.StartOffset = _index[i].Offset;
            s.NextSample = _indexFirstSample[i];
            start = Math.Min(start, s.StartOffset);
        }

        return start == long.MaxValue ? 4 : start;
    }

    private void FinishTimestamps(XdfSampleBlock block, long chunkOffset, long firstSample)
    {
        var stream = block.Stream;
        var stamps = block.TimestampBuffer[..block.Count];
        if (stream.ClockSegments.Length > 0)
        {
            for (int k = 0; k < stamps.Length; k++)
            {
                stamps[k] = stream.Correct(stamps[k], chunkOffset);
            }
        }

        var segments = stream.JitterSegments;
        if (segments.Length > 0)
        {
            int s = 0;
            for (int k = 0; k < stamps.Length; k++)
            {
                long index = firstSample + k;
                while (s + 1 < segments.Length && segments[s + 1].Start <= index)
                {
                    s++;
                }

                var segment = segments[s];
                stamps[k] = segment.Intercept + (segment.Slope * (index - segment.Start));
            }
        }
    }

    /// <summary>
    /// Decodes a Samples chunk's readable bytes into <paramref name="block"/> (raw timestamps). Returns a problem
    /// when the content is inconsistent; the samples decoded before it are kept.
    /// </summary>
    private string? DecodeChunk(Chunk chunk, XdfSampleBlock block, ref double lastTimestamp)
    {
        var content = Load(chunk);
        var stream = block.Stream;
        var info = stream.Info;
        string where = $"{File}: byte offset {chunk.Offset}: Samples chunk of stream '{info.Name}'";
        block.ByteOffset = chunk.Offset;
        block.Reset(0);
        if (content.Length < 5)
        {
            return $"{where}: too short for its stream id and sample count; skipped";
        }

        int countBytes = content[4];
        if (countBytes is not (1 or 4 or 8) || content.Length < 5 + countBytes)
        {
            return $"{where}: invalid sample-count field; skipped";
        }

        ulong declared = ReadVarLength(content[5..], countBytes);
        bool complete = chunk.Available == chunk.ContentLength;
        int channels = info.ChannelCount;
        int valueSize = XdfFormat.ValueSize(info.Format);
        int minimumSample = 1 + (channels * (valueSize > 0 ? valueSize : 2));
        int p = 5 + countBytes;
        long fits = (content.Length - p) / minimumSample;
        if (declared > (ulong)fits && complete)
        {
            return $"{where}: declares {declared} samples, more than its {content.Length} bytes can hold; skipped";
        }

        int capacity = (int)Math.Min(declared, (ulong)fits);
        block.Reset(capacity);
        double period = info.NominalRate > 0 ? 1 / info.NominalRate : 0;
        var stamps = block.TimestampBuffer;
        var values = block.ValueBuffer;
        var strings = block.StringBuffer;
        int k = 0;
        string? problem = null;
        for (; k < capacity; k++)
        {
            if (p >= content.Length)
            {
                break;
            }

            double t;
            byte stampBytes = content[p++];
            if (stampBytes == 8)
            {
                if (content.Length - p < 8)
                {
                    break;
                }

                t = BinaryPrimitives.ReadDoubleLittleEndian(content[p..]);
                p += 8;
            }
            else if (stampBytes == 0)
            {
                t = lastTimestamp + period;
            }
            else
            {
                problem = $"{where}: sample {k} has an invalid timestamp size {stampBytes} (expected 0 or 8); the rest of the chunk is skipped";
                break;
            }

            if (valueSize > 0)
            {
                int need = channels * valueSize;
                if (content.Length - p < need)
                {
                    break;
                }

                DecodeValues(content.Slice(p, need), info.Format, values.Slice(k * channels, channels));
                p += need;
            }
            else if (!DecodeStrings(content, ref p, strings, k * channels, channels))
            {
                if (complete)
                {
                    problem = $"{where}: string value of sample {k} runs past the end of the chunk; the rest of the chunk is skipped";
                }

                break;
            }

            stamps[k] = t;
            lastTimestamp = t;
        }

        block.SetCount(k);
        if (problem is null && complete && (ulong)k < declared)
        {
            problem = $"{where}: ends after {k} of its {declared} samples; the rest is missing";
        }

        return problem;
    }

    private static void DecodeValues(ReadOnlySpan<byte> bytes, ChannelFormat format, Span<double> values)
    {
        switch (format)
        {
            case ChannelFormat.Float32:
                for (int c = 0; c < values.Length; c++)
                {
                    values[c] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(c * 4)..]);
                }

                break;
            case ChannelFormat.Double64:
                for (int c = 0; c < values.Length; c++)
                {
                    values[c] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(c * 8)..]);
                }

                break;
            case ChannelFormat.Int8:
                for (int c = 0; c < values.Length; c++)
                {
                    values[c] = (sbyte)bytes[c];
                }

                break;
            case ChannelFormat.Int16:
                for (int c = 0; c < values.Length; c++)
                {
                    values[c] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(c * 2)..]);
                }

                break;
            case ChannelFormat.Int32:
                for (int c = 0; c < values.Length; c++)
                {
                    values[c] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(c * 4)..]);
                }

                break;
            case ChannelFormat.Int64:
                for (int c = 0; c < values.Length; c++)
                {
                    values[c] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(c * 8)..]);
                }

                break;
        }
    }

    private static bool DecodeStrings(ReadOnlySpan<byte> content, ref int p, string[] strings, int at, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            if (p >= content.Length)
            {
                return false;
            }

            int lengthBytes = content[p++];
            if (lengthBytes is not (1 or 4 or 8) || content.Length - p < lengthBytes)
            {
                return false;
            }

            ulong length = ReadVarLength(content[p..], lengthBytes);
            p += lengthBytes;
            if (length > (ulong)(content.Length - p))
            {
                return false;
            }

            strings[at + c] = Encoding.UTF8.GetString(content.Slice(p, (int)length));
            p += (int)length;
        }

        return true;
    }

    private void Report(string problem, Action<string>? onProblem)
    {
        if (_reported.Add(problem))
        {
            _problems.Add(problem);
            onProblem?.Invoke(problem);
        }
    }

    private readonly record struct Chunk(long Offset, ushort Tag, long ContentOffset, long ContentLength, long Available);

    private sealed class ReadState(XdfSampleBlock block)
    {
        public XdfSampleBlock Block { get; } = block;

        public long StartOffset { get; set; }

        public long NextSample { get; set; }

        public bool Done { get; set; }

        public double LastRaw;
    }
}
