namespace CausalStream.Core.Windows;

/// <summary>
/// Puts several streams on one time grid so that analyses can treat them as one multi-channel signal:
/// regular streams are resampled onto the grid by linear interpolation, event streams (spikes, markers)
/// become counts per grid bin and code. A row is released only once every registered stream has reached
/// the row's time, so the output waits for the slowest stream.
/// </summary>
/// <remarks>
/// <para><b>Grid.</b> Row r has time g_r = StartTime + r / GridRate and describes the grid period that ends
/// there. Its columns are the registered streams in registration order (see <see cref="ColumnOffset"/>).</para>
/// <para><b>Regular streams</b> (<see cref="AddRegularStream"/>): the value at g_r is interpolated linearly
/// between the latest sample at or before g_r and the first sample after it (exactly the sample's value when
/// one falls on g_r). Linear interpolation is used instead of sample-and-hold because holding would delay a
/// slower stream by half its period on average, which biases lagged (Granger-type) analyses; its cost is
/// that row r waits for the first sample at or after g_r. Rows before a stream's first sample hold NaN.
/// Interpolation spans gaps, so use a <see cref="GapDetector"/> per stream to flag them. Samples whose
/// timestamp does not increase are discarded and counted.</para>
/// <para><b>Event streams</b> (<see cref="AddEventStream"/>): row r counts, per code, the events with
/// g_{r-1} ≤ t &lt; g_r. An event stream has reached time w (its watermark) once it has delivered every event
/// before w: the watermark is the latest event's timestamp, or a later time given to
/// <see cref="AdvanceEvents"/> when nothing happened. Without events or advances an event stream holds all
/// rows back. Events earlier than the watermark, before the grid, or with a code out of range are discarded and counted.</para>
/// <para><b>Memory.</b> Pending rows live in one preallocated ring of <see cref="CapacityRows"/> rows, allocated
/// when the first data arrives (registration closes then). If one stream runs so far ahead of the slowest
/// that the ring is full, the oldest pending rows are dropped (counted in <see cref="DroppedRows"/>), the
/// live-source policy of the pipeline. Appending and emitting allocate nothing.</para>
/// </remarks>
public sealed class StreamAligner
{
    private readonly List<StreamState> _streams = [];
    private double[] _rows = [];
    private int _width;
    private long _nextRow;          // first row not yet emitted or dropped
    private long _initializedRows;  // rows below this have been cleared for use

    /// <summary>Creates an aligner for a grid of <paramref name="gridRate"/> rows per second starting at <paramref name="startTime"/>.</summary>
    /// <param name="gridRate">Grid rate in Hz, positive.</param>
    /// <param name="startTime">Source time (seconds) of row 0.</param>
    /// <param name="bufferSeconds">How far (in grid time) the fastest stream may run ahead of the slowest before rows are dropped.</param>
    public StreamAligner(double gridRate, double startTime, double bufferSeconds = 10)
    {
        if (!double.IsFinite(gridRate) || gridRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gridRate), gridRate, "grid rate must be a positive number of rows per second");
        }

        if (!double.IsFinite(startTime))
        {
            throw new ArgumentOutOfRangeException(nameof(startTime), startTime, "grid start time must be finite");
        }

        if (!double.IsFinite(bufferSeconds) || bufferSeconds <= 0 || bufferSeconds * gridRate > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSeconds), bufferSeconds, "buffer length must be positive and hold at most int.MaxValue grid rows");
        }

        GridRate = gridRate;
        StartTime = startTime;
        CapacityRows = Math.Max(1, (int)Math.Ceiling(bufferSeconds * gridRate));
    }

    public double GridRate { get; }

    /// <summary>Source time of row 0 in seconds.</summary>
    public double StartTime { get; }

    /// <summary>Rows the pending-row ring holds.</summary>
    public int CapacityRows { get; }

    /// <summary>Values per output row (sum of the registered streams' channels or codes).</summary>
    public int Width => _width;

    public int StreamCount => _streams.Count;

    /// <summary>Rows handed out by <see cref="EmitRows"/> or dropped so far; the next emitted row has this index.</summary>
    public long NextRow => _nextRow;

    /// <summary>Rows dropped because the ring was full while waiting for a slow stream.</summary>
    public long DroppedRows { get; private set; }

    /// <summary>Rows complete for every stream and ready for <see cref="EmitRows"/>.</summary>
    public int ReadyRows
    {
        get
        {
            if (_streams.Count == 0)
            {
                return 0;
            }

            long complete = long.MaxValue;
            foreach (StreamState s in _streams)
            {
                complete = Math.Min(complete, s.CompletedRows);
            }

            return (int)Math.Clamp(complete - _nextRow, 0, CapacityRows);
        }
    }

    /// <summary>Registers a regularly sampled stream of <paramref name="channels"/> channels; returns its stream index.</summary>
    public int AddRegularStream(int channels) => Add(channels, isEvents: false);

    /// <summary>Registers an event stream whose events carry codes 0 … <paramref name="codes"/>−1 (one count column per code); returns its stream index.</summary>
    public int AddEventStream(int codes) => Add(codes, isEvents: true);

    /// <summary>First output column of stream <paramref name="stream"/>.</summary>
    public int ColumnOffset(int stream) => Get(stream).Offset;

    /// <summary>Samples or events of stream <paramref name="stream"/> discarded (out of order, before the grid, or bad code).</summary>
    public long DiscardedCount(int stream) => Get(stream).Discarded;

    /// <summary>Source time of grid row <paramref name="row"/>.</summary>
    public double RowTime(long row) => StartTime + row / GridRate;

    /// <summary>Appends samples of a regular stream: row-major <paramref name="values"/> (<c>timestamps.Length × channels</c>) with their source timestamps.</summary>
    public void AppendSamples(int stream, ReadOnlySpan<double> values, ReadOnlySpan<double> timestamps)
    {
        StreamState s = Get(stream);
        if (s.IsEvents)
        {
            throw new InvalidOperationException($"stream {stream} is an event stream; use {nameof(AppendEvents)}");
        }

        int channels = s.Channels;
        if (values.Length != timestamps.Length * channels)
        {
            throw new ArgumentException(
                $"stream {stream}: expected {timestamps.Length} samples x {channels} channels = {timestamps.Length * channels} values, got {values.Length}",
                nameof(values));
        }

        Seal();
        Span<double> last = s.LastValues;
        for (int i = 0; i < timestamps.Length; i++)
        {
            double t = timestamps[i];
            ReadOnlySpan<double> v = values.Slice(i * channels, channels);
            if (!double.IsFinite(t) || (s.HasLast && t <= s.LastTime))
            {
                s.Discarded++;
                continue;
            }

            long lastRow = RowAtOrBefore(t);
            if (lastRow >= Math.Max(s.CompletedRows, _nextRow))
            {
                EnsureRow(lastRow);
                for (long row = Math.Max(s.CompletedRows, _nextRow); row <= lastRow; row++)
                {
                    Span<double> dest = _rows.AsSpan(Slot(row) * _width + s.Offset, channels);
                    double g = RowTime(row);
                    if (!s.HasLast)
                    {
                        if (g < t)
                        {
                            dest.Fill(double.NaN);
                        }
                        else
                        {
                            v.CopyTo(dest);
                        }

                        continue;
                    }

                    double f = (g - s.LastTime) / (t - s.LastTime);
                    double keep = 1 - f;
                    for (int c = 0; c < channels; c++)
                    {
                        dest[c] = (last[c] * keep) + (v[c] * f);
                    }
                }

                s.CompletedRows = lastRow + 1;
            }

            v.CopyTo(last);
            s.LastTime = t;
            s.HasLast = true;
        }
    }

    /// <summary>
    /// Appends events of an event stream in time order; <paramref name="codes"/> gives each event's code
    /// (column within the stream) or may be empty, meaning code 0 for all.
    /// </summary>
    public void AppendEvents(int stream, ReadOnlySpan<double> timestamps, ReadOnlySpan<int> codes = default)
    {
        StreamState s = GetEvents(stream);
        if (!codes.IsEmpty && codes.Length != timestamps.Length)
        {
            throw new ArgumentException($"stream {stream}: {codes.Length} codes for {timestamps.Length} events", nameof(codes));
        }

        Seal();
        for (int i = 0; i < timestamps.Length; i++)
        {
            double t = timestamps[i];
            int code = codes.IsEmpty ? 0 : codes[i];
            if (!double.IsFinite(t) || t < s.LastTime)
            {
                s.Discarded++;
                continue;
            }

            s.LastTime = t;
            long row = RowAtOrBefore(t) + 1;
            if ((uint)code >= (uint)s.Channels || row < 0 || row < _nextRow)
            {
                s.Discarded++;
                continue;
            }

            EnsureRow(row);
            _rows[(Slot(row) * _width) + s.Offset + code] += 1;
        }

        CompleteEventRows(s);
    }

    /// <summary>Tells the aligner that event stream <paramref name="stream"/> has no events before <paramref name="time"/>, releasing rows up to it.</summary>
    public void AdvanceEvents(int stream, double time)
    {
        StreamState s = GetEvents(stream);
        if (!double.IsFinite(time))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "time must be finite");
        }

        Seal();
        if (time > s.LastTime)
        {
            s.LastTime = time;
            CompleteEventRows(s);
        }
    }

    /// <summary>
    /// Copies complete rows, oldest first, into <paramref name="values"/> (row-major, <see cref="Width"/> per row)
    /// and their grid times into <paramref name="rowTimes"/>; returns how many rows were emitted (limited by the
    /// ready rows and by both spans' room).
    /// </summary>
    public int EmitRows(Span<double> values, Span<double> rowTimes)
    {
        if (_streams.Count == 0)
        {
            throw new InvalidOperationException("no streams registered");
        }

        Seal();
        int n = Math.Min(ReadyRows, Math.Min(values.Length / _width, rowTimes.Length));
        int slot = Slot(_nextRow);
        int first = Math.Min(n, CapacityRows - slot);
        _rows.AsSpan(slot * _width, first * _width).CopyTo(values);
        if (n > first)
        {
            _rows.AsSpan(0, (n - first) * _width).CopyTo(values[(first * _width)..]);
        }

        for (int i = 0; i < n; i++)
        {
            rowTimes[i] = RowTime(_nextRow + i);
        }

        _nextRow += n;
        return n;
    }

    private int Add(int channels, bool isEvents)
    {
        if (_rows.Length > 0)
        {
            throw new InvalidOperationException("streams must be registered before the first data is appended");
        }

        if (channels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, isEvents ? "an event stream needs at least one code" : "a stream needs at least one channel");
        }

        if (((long)_width + channels) * CapacityRows > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "aligned rows do not fit in memory; reduce channels or bufferSeconds");
        }

        _streams.Add(new StreamState(_width, channels, isEvents));
        _width += channels;
        return _streams.Count - 1;
    }

    private StreamState Get(int stream)
    {
        if ((uint)stream >= (uint)_streams.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(stream), stream, $"no stream {stream}; {_streams.Count} registered");
        }

        return _streams[stream];
    }

    private StreamState GetEvents(int stream)
    {
        StreamState s = Get(stream);
        if (!s.IsEvents)
        {
            throw new InvalidOperationException($"stream {stream} is a regular stream; use {nameof(AppendSamples)}");
        }

        return s;
    }

    private void Seal()
    {
        if (_rows.Length == 0)
        {
            _rows = new double[(long)_width * CapacityRows];
        }
    }

    private void CompleteEventRows(StreamState s)
    {
        // Every row r with g_r ≤ watermark is complete: later events have t ≥ g_r and fall in later rows.
        long completed = RowAtOrBefore(s.LastTime) + 1;
        if (completed > s.CompletedRows)
        {
            s.CompletedRows = completed;
            if (completed > _nextRow)
            {
                EnsureRow(completed - 1);
            }
        }
    }

    /// <summary>Makes row <paramref name="row"/> (and the rows before it) usable, dropping the oldest pending rows if the ring is full.</summary>
    private void EnsureRow(long row)
    {
        if (row < _initializedRows)
        {
            return;
        }

        if (row >= _nextRow + CapacityRows)
        {
            long newNext = row - CapacityRows + 1;
            DroppedRows += newNext - _nextRow;
            _nextRow = newNext;
        }

        for (long r = Math.Max(_initializedRows, _nextRow); r <= row; r++)
        {
            _rows.AsSpan(Slot(r) * _width, _width).Clear();
        }

        _initializedRows = row + 1;
    }

    /// <summary>Largest row index r with RowTime(r) ≤ t (negative before the grid starts).</summary>
    private long RowAtOrBefore(double t)
    {
        double estimate = Math.Floor((t - StartTime) * GridRate);
        long r = (long)Math.Clamp(estimate, -9e15, 9e15);
        if (RowTime(r) > t)
        {
            r--;
        }
        else if (RowTime(r + 1) <= t)
        {
            r++;
        }

        return r;
    }

    private int Slot(long row) => (int)(row % CapacityRows);

    /// <summary>Per-stream progress and the last sample kept for interpolation.</summary>
    private sealed class StreamState(int offset, int channels, bool isEvents)
    {
        public int Offset { get; } = offset;

        public int Channels { get; } = channels;

        public bool IsEvents { get; } = isEvents;

        /// <summary>Rows below this index are final for this stream.</summary>
        public long CompletedRows { get; set; }

        /// <summary>Regular: last sample time; events: watermark.</summary>
        public double LastTime { get; set; } = double.NegativeInfinity;

        public bool HasLast { get; set; }

        public double[] LastValues { get; } = new double[channels];

        public long Discarded { get; set; }
    }
}
