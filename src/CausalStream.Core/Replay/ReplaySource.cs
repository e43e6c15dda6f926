using System.Diagnostics;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Replay;

/// <summary>
/// Replays a recording into a pipeline with each stream's own timestamps. At speed s an item with source time t is
/// written (t − t₀)/s wall seconds after the first one, so relative timing within and across streams is kept; at
/// maximum speed items are written as fast as the pipeline accepts them (lossless with the Wait ingest policy).
/// Problems the reader passes over are reported as source errors; damage that ends the file is reported, kept in
/// <see cref="Failure"/> and rethrown after everything before it was written.
/// </summary>
public sealed class ReplaySource : ISampleSource
{
    private readonly IRecording _recording;
    private readonly ReplayOptions _options;
    private readonly Stopwatch _wall = new();
    private long _samples;
    private long _markers;
    private double _position = double.NaN;

    public ReplaySource(IRecording recording, ReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(recording);
        _recording = recording;
        _options = options ?? new ReplayOptions();
        if (!(_options.Speed > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.Speed, "replay speed must be positive");
        }
    }

    public string Name => "replay:" + _recording.File;

    public IReadOnlyList<StreamInfo> Streams => _recording.Streams;

    public IRecording Recording => _recording;

    /// <summary>The error that ended the replay early (a damaged file), or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>True once every item was written (or the replay failed).</summary>
    public bool Finished { get; private set; }

    /// <summary>A snapshot of the replay's progress; safe to read from another thread.</summary>
    public ReplayProgress Progress
    {
        get
        {
            double start = StartTime;
            double end = Math.Min(_recording.EndTime, start + _options.To - _options.From);
            double position = Volatile.Read(ref _position);
            double done = double.IsNaN(position) ? 0 : Math.Max(0, position - start);
            return new ReplayProgress(done, double.IsFinite(end) ? end - start : double.NaN, Interlocked.Read(ref _samples), Interlocked.Read(ref _markers), _wall.Elapsed.TotalSeconds);
        }
    }

    private double StartTime => (double.IsNaN(_recording.StartTime) ? 0 : _recording.StartTime) + _options.From;

    public async Task RunAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        foreach (var problem in _recording.Problems)
        {
            output.ReportError(StreamOf(problem), problem);
        }

        double from = double.IsNaN(_recording.StartTime) ? double.NegativeInfinity : StartTime;
        double to = double.IsNaN(_recording.StartTime) ? double.PositiveInfinity : _recording.StartTime + _options.To;
        if (_options.From > 0 && double.IsNaN(_recording.StartTime))
        {
            from = _options.From;
        }

        _wall.Start();
        double first = double.NaN;
        try
        {
            foreach (var item in _recording.Read(from, to, (stream, message) => output.ReportError(stream.Length > 0 ? stream : StreamOf(message), message)))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    item.Chunk?.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                double t = item.Time;
                if (double.IsNaN(first))
                {
                    first = t;
                }

                if (!_options.IsMaxSpeed)
                {
                    double due = (t - first) / _options.Speed;
                    double wait = due - _wall.Elapsed.TotalSeconds;
                    if (wait > 0.001)
                    {
                        try
                        {
                            await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            item.Chunk?.Dispose();
                            throw;
                        }
                    }
                }

                if (item.Chunk is { } chunk)
                {
                    int n = chunk.SampleCount;
                    double last = chunk.Timestamps[n - 1];
                    chunk.ArrivalTicks = MonotonicClock.Now;
                    await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    Interlocked.Add(ref _samples, n);
                    Advance(last);
                }
                else
                {
                    var marker = item.Marker! with { ArrivalTicks = MonotonicClock.Now };
                    await output.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _markers);
                    Advance(marker.Timestamp);
                }
            }
        }
        catch (Formats.DataFormatException ex)
        {
            Failure = ex;
            output.ReportError(Streams.Count > 0 ? Streams[0].Name : Name, ex.Message);
            throw;
        }
        finally
        {
            Finished = true;
            _wall.Stop();
        }
    }

    private void Advance(double t)
    {
        double current = Volatile.Read(ref _position);
        if (double.IsNaN(current) || t > current)
        {
            Volatile.Write(ref _position, t);
        }
    }

    /// <summary>The stream a problem message names ("stream 'X'"), or the first stream.</summary>
    private string StreamOf(string message)
    {
        foreach (var stream in Streams)
        {
            if (message.Contains($"'{stream.Name}'", StringComparison.Ordinal))
            {
                return stream.Name;
            }
        }

        return Streams.Count > 0 ? Streams[0].Name : Name;
    }
}
