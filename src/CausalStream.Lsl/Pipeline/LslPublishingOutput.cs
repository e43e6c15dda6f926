using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Time;

namespace CausalStream.Lsl.Pipeline;

/// <summary>
/// An <see cref="ISourceOutput"/> that publishes whatever a source produces as LSL outlets, one per stream (created
/// on the first chunk or marker): numeric chunks are pushed as they are, markers as one-channel strings. Source
/// timestamps are moved onto the local LSL clock (first sample = the clock when it was published), since LSL
/// timestamps are clock readings. Used by <c>causalstream simulate --lsl</c>.
/// </summary>
public sealed class LslPublishingOutput : ISourceOutput, IAsyncDisposable
{
    private readonly LslApiConfig _config;
    private readonly Func<StreamInfo, string> _rename;
    private readonly Dictionary<string, LslOutlet> _outlets = new(StringComparer.Ordinal);
    private readonly Action<string>? _log;
    private double _offset = double.NaN;
    private double[] _stamps = new double[64];

    /// <param name="config">LSL settings for the outlets.</param>
    /// <param name="rename">Maps a source stream to its published name (default: unchanged).</param>
    /// <param name="log">Receives outlet creation messages and reported source errors.</param>
    public LslPublishingOutput(LslApiConfig config, Func<StreamInfo, string>? rename = null, Action<string>? log = null)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _rename = rename ?? (s => s.Name);
        _log = log;
    }

    /// <summary>Outlets created so far, by source stream name.</summary>
    public IReadOnlyDictionary<string, LslOutlet> Outlets
    {
        get
        {
            lock (_outlets)
            {
                return new Dictionary<string, LslOutlet>(_outlets);
            }
        }
    }

    /// <summary>Creates the outlet of a stream ahead of its first data (so consumers can connect first).</summary>
    public LslOutlet Open(StreamInfo stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_outlets)
        {
            if (!_outlets.TryGetValue(stream.Name, out var outlet))
            {
                var published = new StreamInfo(_rename(stream), stream.Type, stream.SourceId, stream.ChannelCount, stream.NominalRate, stream.Format, stream.ChannelLabels, stream.ChannelUnits);
                outlet = new LslOutlet(published, new LslOutletOptions { Config = _config });
                _outlets[stream.Name] = outlet;
                _log?.Invoke($"publishing LSL stream '{outlet.Info.Name}' ({outlet.Info.ChannelCount} ch {Info.LslChannelFormats.Name(outlet.Info.Format)} @ {outlet.Info.NominalSrate} Hz), uid {outlet.Info.Uid}, data port {outlet.DataPort}, service port {outlet.ServicePort}");
            }

            return outlet;
        }
    }

    public ValueTask WriteAsync(SampleChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        try
        {
            var outlet = Open(chunk.Stream);
            int n = chunk.SampleCount;
            if (_stamps.Length < n)
            {
                _stamps = new double[n];
            }

            var source = chunk.Timestamps;
            for (int i = 0; i < n; i++)
            {
                _stamps[i] = Rebase(source[i]);
            }

            outlet.PushChunk(chunk.Values, _stamps.AsSpan(0, n));
        }
        finally
        {
            chunk.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(MarkerEvent marker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(marker);
        LslOutlet? outlet;
        lock (_outlets)
        {
            _outlets.TryGetValue(marker.Stream, out outlet);
        }

        if (outlet is null)
        {
            var stream = new StreamInfo(marker.Stream, "Markers", string.Empty, 1, 0, ChannelFormat.String);
            outlet = Open(stream);
        }

        outlet.PushStrings([marker.Payload], Rebase(marker.Timestamp));
        return ValueTask.CompletedTask;
    }

    public void ReportError(string stream, string message) => _log?.Invoke($"{stream}: {message}");

    public async ValueTask DisposeAsync()
    {
        List<LslOutlet> outlets;
        lock (_outlets)
        {
            outlets = [.. _outlets.Values];
            _outlets.Clear();
        }

        foreach (var outlet in outlets)
        {
            await outlet.DisposeAsync().ConfigureAwait(false);
        }
    }

    private double Rebase(double sourceTime)
    {
        if (double.IsNaN(_offset))
        {
            _offset = LslClock.Now - sourceTime;
        }

        double t = sourceTime + _offset;
        return t == 0 ? double.Epsilon : t;
    }
}
