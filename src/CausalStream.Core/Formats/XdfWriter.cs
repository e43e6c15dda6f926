using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Formats;

/// <summary>
/// Writes an XDF 1.0 file as LabRecorder does: magic and FileHeader, a StreamHeader per stream (with channel
/// labels and units under desc/channels), Samples chunks with a timestamp on every sample, ClockOffset chunks,
/// periodic Boundary chunks, and a StreamFooter per stream on <see cref="Dispose"/>. Every chunk is handed to the
/// operating system as soon as it is complete, so a killed process leaves a file readable up to its last chunk.
/// Thread-safe: several producers may write to one writer.
/// </summary>
public sealed class XdfWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly bool _flushEachChunk;
    private readonly long _boundaryInterval;
    private readonly List<StreamState> _streams = [];
    private byte[] _buffer = new byte[1 << 16];
    private int _length;
    private long _sinceBoundary;
    private bool _closed;

    /// <summary>Creates (overwrites) <paramref name="path"/>, creating its folder when missing.</summary>
    /// <param name="boundaryIntervalBytes">A Boundary chunk is written after at least this many bytes of other chunks.</param>
    public XdfWriter(string path, long boundaryIntervalBytes = 1 << 20)
        : this(Create(path), leaveOpen: false, flushEachChunk: true, boundaryIntervalBytes)
    {
        FilePath = path;
    }

    /// <param name="output">Where the file is written.</param>
    /// <param name="leaveOpen">Leave <paramref name="output"/> open on <see cref="Dispose"/>.</param>
    /// <param name="flushEachChunk">Flush <paramref name="output"/> after every chunk (crash safety).</param>
    /// <param name="boundaryIntervalBytes">A Boundary chunk is written after at least this many bytes of other chunks.</param>
    public XdfWriter(Stream output, bool leaveOpen = false, bool flushEachChunk = true, long boundaryIntervalBytes = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(boundaryIntervalBytes);
        _output = output;
        _leaveOpen = leaveOpen;
        _flushEachChunk = flushEachChunk;
        _boundaryInterval = boundaryIntervalBytes;
        _output.Write(XdfFormat.Magic);
        var header = new XElement(
            "info",
            new XElement("version", "1.0"),
            new XElement("datetime", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)),
            new XElement("writer", "CausalStream"));
        Begin();
        Append(Encoding.UTF8.GetBytes(Xml(header)));
        End(XdfChunkTag.FileHeader);
    }

    /// <summary>The file being written, when the writer was created with a path.</summary>
    public string? FilePath { get; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Declares a stream and writes its StreamHeader; returns its stream id (1, 2, ...). Values are stored in
    /// the stream's <see cref="StreamInfo.Format"/> (integers rounded and clamped); <paramref name="desc"/> adds
    /// elements under the header's desc element.
    /// </summary>
    public int AddStream(StreamInfo stream, params XElement[] desc)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_gate)
        {
            ThrowIfClosed();
            int id = _streams.Count + 1;
            var channels = new XElement("channels");
            for (int c = 0; c < stream.ChannelCount; c++)
            {
                channels.Add(new XElement(
                    "channel",
                    new XElement("label", stream.ChannelLabels[c]),
                    new XElement("unit", stream.ChannelUnits[c]),
                    new XElement("type", stream.Type)));
            }

            var descElement = new XElement("desc", channels);
            foreach (var element in desc)
            {
                descElement.Add(element);
            }

            var info = new XElement(
                "info",
                new XElement("name", stream.Name),
                new XElement("type", stream.Type),
                new XElement("channel_count", stream.ChannelCount.ToString(CultureInfo.InvariantCulture)),
                new XElement("nominal_srate", stream.NominalRate.ToString("R", CultureInfo.InvariantCulture)),
                new XElement("channel_format", XdfFormat.Name(stream.Format)),
                new XElement("source_id", stream.SourceId),
                new XElement("version", "1.1"),
                new XElement("uid", Guid.NewGuid().ToString()),
                descElement);
            _streams.Add(new StreamState(stream));
            Begin();
            AppendInt32(id);
            Append(Encoding.UTF8.GetBytes(Xml(info)));
            End(XdfChunkTag.StreamHeader);
            return id;
        }
    }

    /// <summary>Writes one Samples chunk of a numeric stream: n timestamps and n × C row-major values.</summary>
    public void WriteSamples(int streamId, ReadOnlySpan<double> timestamps, ReadOnlySpan<double> values)
    {
        lock (_gate)
        {
            var state = Stream(streamId);
            var info = state.Info;
            if (info.Format == ChannelFormat.String)
            {
                throw new InvalidOperationException($"stream '{info.Name}' carries strings; use WriteStrings");
            }

            int channels = info.ChannelCount;
            if (values.Length != timestamps.Length * channels)
            {
                throw new ArgumentException($"stream '{info.Name}': {values.Length} values for {timestamps.Length} samples of {channels} channels", nameof(values));
            }

            if (timestamps.Length == 0)
            {
                return;
            }

            int valueSize = XdfFormat.ValueSize(info.Format);
            Begin(timestamps.Length * (9 + (channels * valueSize)) + 16);
            AppendInt32(streamId);
            AppendCount(timestamps.Length);
            for (int i = 0; i < timestamps.Length; i++)
            {
                Reserve(9 + (channels * valueSize));
                _buffer[_length++] = 8;
                BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), timestamps[i]);
                _length += 8;
                EncodeValues(values.Slice(i * channels, channels), info.Format, _buffer.AsSpan(_length));
                _length += channels * valueSize;
            }

            End(XdfChunkTag.Samples);
            state.Observe(timestamps[0], timestamps[^1], timestamps.Length);
        }
    }

    /// <summary>Writes the samples of <paramref name="chunk"/> to the stream <paramref name="streamId"/>.</summary>
    public void WriteSamples(int streamId, SampleChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        WriteSamples(streamId, chunk.Timestamps, chunk.Values);
    }

    /// <summary>Writes one Samples chunk of a string stream: n timestamps and n × C row-major strings.</summary>
    public void WriteStrings(int streamId, ReadOnlySpan<double> timestamps, ReadOnlySpan<string> values)
    {
        lock (_gate)
        {
            var state = Stream(streamId);
            var info = state.Info;
            if (info.Format != ChannelFormat.String)
            {
                throw new InvalidOperationException($"stream '{info.Name}' is numeric; use WriteSamples");
            }

            if (values.Length != timestamps.Length * info.ChannelCount)
            {
                throw new ArgumentException($"stream '{info.Name}': {values.Length} strings for {timestamps.Length} samples of {info.ChannelCount} channels", nameof(values));
            }

            if (timestamps.Length == 0)
            {
                return;
            }

            Begin();
            AppendInt32(streamId);
            AppendCount(timestamps.Length);
            for (int i = 0; i < timestamps.Length; i++)
            {
                Reserve(9);
                _buffer[_length++] = 8;
                BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), timestamps[i]);
                _length += 8;
                for (int c = 0; c < info.ChannelCount; c++)
                {
                    var bytes = Encoding.UTF8.GetBytes(values[(i * info.ChannelCount) + c] ?? string.Empty);
                    AppendCount(bytes.Length);
                    Append(bytes);
                }
            }

            End(XdfChunkTag.Samples);
            state.Observe(timestamps[0], timestamps[^1], timestamps.Length);
        }
    }

    /// <summary>Writes one marker (a one-sample chunk) to a single-channel string stream.</summary>
    public void WriteMarker(int streamId, double timestamp, string text)
        => WriteStrings(streamId, [timestamp], [text]);

    /// <summary>Writes a ClockOffset chunk: at <paramref name="collectionTime"/> the stream's clock was <paramref name="offset"/> seconds behind the recorder's.</summary>
    public void WriteClockOffset(int streamId, double collectionTime, double offset)
    {
        lock (_gate)
        {
            var state = Stream(streamId);
            Begin();
            AppendInt32(streamId);
            AppendDouble(collectionTime);
            AppendDouble(offset);
            End(XdfChunkTag.ClockOffset);
            state.Offsets.Add(new XdfClockOffset(collectionTime, offset));
        }
    }

    /// <summary>Writes a Boundary chunk (a resynchronisation point for readers of damaged files).</summary>
    public void WriteBoundary()
    {
        lock (_gate)
        {
            ThrowIfClosed();
            Begin();
            Append(XdfFormat.BoundaryUuid);
            End(XdfChunkTag.Boundary);
            _sinceBoundary = 0;
        }
    }

    /// <summary>Flushes what was written to the operating system.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _output.Flush();
            }
        }
    }

    /// <summary>Writes a StreamFooter for every stream and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                for (int i = 0; i < _streams.Count; i++)
                {
                    WriteFooter(i + 1, _streams[i]);
                }

                _output.Flush();
            }
            finally
            {
                _closed = true;
                if (!_leaveOpen)
                {
                    _output.Dispose();
                }
            }
        }
    }

    private static FileStream Create(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
    }

    private static string Xml(XElement info) => "<?xml version=\"1.0\"?>" + info.ToString(SaveOptions.DisableFormatting);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private void WriteFooter(int id, StreamState state)
    {
        var offsets = new XElement("clock_offsets");
        foreach (var offset in state.Offsets)
        {
            offsets.Add(new XElement("offset", new XElement("time", Number(offset.CollectionTime)), new XElement("value", Number(offset.Value))));
        }

        var info = new XElement(
            "info",
            new XElement("writer", "CausalStream"),
            new XElement("first_timestamp", Number(state.Count > 0 ? state.First : 0)),
            new XElement("last_timestamp", Number(state.Count > 0 ? state.Last : 0)),
            new XElement("sample_count", state.Count.ToString(CultureInfo.InvariantCulture)),
            offsets);
        Begin();
        AppendInt32(id);
        Append(Encoding.UTF8.GetBytes(Xml(info)));
        End(XdfChunkTag.StreamFooter);
    }

    private StreamState Stream(int id)
    {
        ThrowIfClosed();
        if (id < 1 || id > _streams.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"no stream with id {id} was added");
        }

        return _streams[id - 1];
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    /// <summary>Starts a chunk: the 9-byte length field and the tag are filled in by <see cref="End"/>.</summary>
    private void Begin(int expected = 256)
    {
        _length = 0;
        Reserve(11 + expected);
        _length = 11;
    }

    private void End(XdfChunkTag tag)
    {
        long content = _length - 11;
        ulong length = (ulong)content + 2;
        int lengthBytes = length <= byte.MaxValue ? 1 : length <= uint.MaxValue ? 4 : 8;
        int start = 11 - 2 - lengthBytes - 1;
        _buffer[start] = (byte)lengthBytes;
        var field = _buffer.AsSpan(start + 1);
        switch (lengthBytes)
        {
            case 1:
                field[0] = (byte)length;
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)length);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(field, length);
                break;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(9), (ushort)tag);
        _output.Write(_buffer, start, _length - start);
        BytesWritten += _length - start;
        _sinceBoundary += _length - start;
        if (_flushEachChunk)
        {
            _output.Flush();
        }

        if (tag != XdfChunkTag.Boundary && _sinceBoundary >= _boundaryInterval)
        {
            Begin();
            Append(XdfFormat.BoundaryUuid);
            End(XdfChunkTag.Boundary);
            _sinceBoundary = 0;
        }
    }

    private void Reserve(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void AppendInt32(int value)
    {
        Reserve(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    private void AppendDouble(double value)
    {
        Reserve(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>A variable-length count: 1, 4 or 8 bytes after a size byte.</summary>
    private void AppendCount(long count)
    {
        Reserve(9);
        if (count <= byte.MaxValue)
        {
            _buffer[_length++] = 1;
            _buffer[_length++] = (byte)count;
        }
        else if (count <= uint.MaxValue)
        {
            _buffer[_length++] = 4;
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), (uint)count);
            _length += 4;
        }
        else
        {
            _buffer[_length++] = 8;
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), (ulong)count);
            _length += 8;
        }
    }

    private static void EncodeValues(ReadOnlySpan<double> values, ChannelFormat format, Span<byte> bytes)
    {
        switch (format)
        {
            case ChannelFormat.Float32:
                for (int c = 0; c < values.Length; c++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes[(c * 4)..], (float)values[c]);
                }

                break;
            case ChannelFormat.Double64:
                for (int c = 0; c < values.Length; c++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes[(c * 8)..], values[c]);
                }

                break;
            case ChannelFormat.Int8:
                for (int c = 0; c < values.Length; c++)
                {
                    bytes[c] = (byte)(sbyte)Integer(values[c], sbyte.MinValue, sbyte.MaxValue);
                }

                break;
            case ChannelFormat.Int16:
                for (int c = 0; c < values.Length; c++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(bytes[(c * 2)..], (short)Integer(values[c], short.MinValue, short.MaxValue));
                }

                break;
            case ChannelFormat.Int32:
                for (int c = 0; c < values.Length; c++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(bytes[(c * 4)..], (int)Integer(values[c], int.MinValue, int.MaxValue));
                }

                break;
            case ChannelFormat.Int64:
                for (int c = 0; c < values.Length; c++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes[(c * 8)..], Integer(values[c], long.MinValue, long.MaxValue));
                }

                break;
        }
    }

    /// <summary>Rounds to the nearest integer and clamps to the type's range; NaN becomes 0.</summary>
    private static long Integer(double value, long min, long max)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        if (rounded <= min)
        {
            return min;
        }

        return rounded >= max ? max : (long)rounded;
    }

    private sealed class StreamState(StreamInfo info)
    {
        public StreamInfo Info { get; } = info;

        public List<XdfClockOffset> Offsets { get; } = [];

        public double First { get; private set; }

        public double Last { get; private set; }

        public long Count { get; private set; }

        public void Observe(double first, double last, int count)
        {
            if (Count == 0)
            {
                First = first;
            }

            Last = last;
            Count += count;
        }
    }
}
