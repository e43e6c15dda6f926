using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Discovery;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Protocol;
using CausalStream.Lsl.Time;

namespace CausalStream.Lsl.Inlet;

/// <summary>
/// Receives one LSL stream: opens a feed (protocol 1.10, or 1.00 when the outlet only speaks that), validates the
/// test patterns, and decodes samples straight from the receive buffer into pooled <see cref="SampleChunk"/>s
/// (numeric streams) or <see cref="LslStringSample"/>s (string streams). Optionally applies the measured clock
/// offset. On malformed data or a lost connection it reports an <see cref="LslInletEvent"/>, closes the connection
/// and reconnects, re-resolving by source_id when the outlet restarted; after a reconnect, samples not newer than
/// the last one delivered are dropped, and the gap is reported. Reading is single-consumer.
/// </summary>
public sealed class LslInlet : IAsyncDisposable
{
    private readonly LslInletOptions _options;
    private readonly LslApiConfig _config;
    private readonly LslResolver _resolver;
    private readonly int _channels;
    private LslFeedConnection? _connection;
    private LslTimeCorrector? _corrector;
    private double[] _values;
    private double[] _stamps;
    private string[] _strings;
    private double _lastCorrection;
    private double _lastDelivered = double.NegativeInfinity;
    private bool _afterReconnect;
    private bool _lostForGood;
    private bool _retryDelayed;
    private double _lostAt;
    private long _duplicatesAtLoss;
    private long _protocolErrors;
    private long _recoveries;
    private long _duplicates;
    private long _samples;
    private int _disposed;

    public LslInlet(LslStreamInfo info, LslInletOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.ChannelCount <= 0)
        {
            throw new ArgumentException($"stream '{info.Name}' has no channels", nameof(info));
        }

        _options = options ?? new LslInletOptions();
        _config = _options.Config ?? LslApiConfig.Load();
        _resolver = new LslResolver(_config);
        Info = info;
        Stream = info.ToStreamInfo();
        _channels = info.ChannelCount;
        _values = new double[_channels * 64];
        _stamps = new double[64];
        _strings = new string[_channels];
    }

    /// <summary>The stream currently connected to (changes when recovery switches to a restarted outlet).</summary>
    public LslStreamInfo Info { get; private set; }

    /// <summary>The pipeline's view of the stream, fixed at construction; every chunk refers to it.</summary>
    public StreamInfo Stream { get; }

    /// <summary>Data protocol of the current connection (110 or 100); 0 when not connected.</summary>
    public int DataProtocolVersion => _connection?.DataProtocol ?? 0;

    /// <summary>Whether a data connection is open.</summary>
    public bool IsConnected => _connection is not null;

    /// <summary>Malformed replies or samples seen (each closed its connection).</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Reconnections after a loss that delivered data again.</summary>
    public long Recoveries => Interlocked.Read(ref _recoveries);

    /// <summary>Samples dropped after reconnects because they were not newer than the last delivered one.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    /// <summary>Samples delivered.</summary>
    public long SamplesReceived => Interlocked.Read(ref _samples);

    /// <summary>Latest clock offset (seconds to add to outlet timestamps); NaN before the first estimate or when not measured.</summary>
    public double TimeCorrection => _corrector?.Correction ?? double.NaN;

    /// <summary>Round trip of the probe behind <see cref="TimeCorrection"/>.</summary>
    public double TimeCorrectionUncertainty => _corrector?.Uncertainty ?? double.NaN;

    /// <summary>Opens the data connection; with time correction on, also waits for the first clock estimate.</summary>
    /// <exception cref="LslProtocolException">The outlet refused or sent malformed data (message names stream and offset).</exception>
    /// <exception cref="SocketException">The outlet is not reachable.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _connection ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (_options.ApplyTimeCorrection)
        {
            await GetTimeCorrectionAsync(_options.TimeCorrectionTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts clock probing if needed and waits up to <paramref name="timeout"/> for an estimate; NaN when none came.</summary>
    public async Task<double> GetTimeCorrectionAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _corrector ??= new LslTimeCorrector(ServiceEndPoint(Info), _config);
        await _corrector.WaitForEstimateAsync(timeout, cancellationToken).ConfigureAwait(false);
        double value = _corrector.Correction;
        if (!double.IsNaN(value))
        {
            _lastCorrection = value;
        }

        return value;
    }

    /// <summary>Fetches the full stream info (with <c>desc</c>: channel labels, units, types).</summary>
    public Task<LslStreamInfo> GetFullInfoAsync(CancellationToken cancellationToken = default)
        => LslFeedConnection.FetchFullInfoAsync(Info, _options.ConnectTimeout, cancellationToken);

    /// <summary>
    /// Waits for data and returns a chunk of 1..<paramref name="maxSamples"/> samples (all that arrived, up to the
    /// limit), owned by the caller; null when the stream is lost and recovery is off.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<SampleChunk?> ReadChunkAsync(int maxSamples, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSamples);
        if (Info.Format == ChannelFormat.String)
        {
            throw new InvalidOperationException($"stream '{Info.Name}' is a string stream; use ReadStringSampleAsync");
        }

        if (_stamps.Length < maxSamples)
        {
            _stamps = new double[maxSamples];
            _values = new double[maxSamples * _channels];
        }

        while (true)
        {
            var connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return null;
            }

            int n = DecodeAvailable(connection, maxSamples, out bool failed);
            if (n > 0)
            {
                var chunk = SampleChunk.Rent(Stream, n, MonotonicClock.Now);
                _values.AsSpan(0, n * _channels).CopyTo(chunk.Values);
                _stamps.AsSpan(0, n).CopyTo(chunk.Timestamps);
                Interlocked.Add(ref _samples, n);
                return chunk;
            }

            if (!failed)
            {
                await FillAsync(connection, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for the next string sample; null when the stream is lost and recovery is off.</summary>
    public async ValueTask<LslStringSample?> ReadStringSampleAsync(CancellationToken cancellationToken)
    {
        if (Info.Format != ChannelFormat.String)
        {
            throw new InvalidOperationException($"stream '{Info.Name}' is numeric; use ReadChunkAsync");
        }

        while (true)
        {
            var connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return null;
            }

            long start = connection.Buffer.Offset;
            var status = connection.Decoder.TryDecodeStrings(connection.Buffer.Data, _strings, out double ts, out int consumed);
            if (status == LslDecodeStatus.Ok)
            {
                connection.Buffer.Consume(consumed);
                if (Accept(ref ts, CurrentCorrection()))
                {
                    Interlocked.Increment(ref _samples);
                    return new LslStringSample(ts, (string[])_strings.Clone());
                }

                continue;
            }

            if (status == LslDecodeStatus.Invalid)
            {
                Fail(connection, start + connection.Decoder.LastErrorOffset, connection.Decoder.LastError);
                continue;
            }

            await FillAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connection?.Dispose();
        _connection = null;
        if (_corrector is not null)
        {
            await _corrector.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static IPEndPoint ServiceEndPoint(LslStreamInfo info)
        => new(info.V4Address.Length > 0 ? IPAddress.Parse(info.V4Address) : IPAddress.Loopback, info.V4ServicePort);

    private int DecodeAvailable(LslFeedConnection connection, int maxSamples, out bool failed)
    {
        failed = false;
        int n = 0;
        double correction = CurrentCorrection();
        var decoder = connection.Decoder;
        var buffer = connection.Buffer;
        while (n < maxSamples)
        {
            long start = buffer.Offset;
            var status = decoder.TryDecode(buffer.Data, _values.AsSpan(n * _channels, _channels), out double ts, out int consumed);
            if (status == LslDecodeStatus.Ok)
            {
                buffer.Consume(consumed);
                if (Accept(ref ts, correction))
                {
                    _stamps[n] = ts;
                    n++;
                }

                continue;
            }

            if (status == LslDecodeStatus.Invalid)
            {
                Fail(connection, start + decoder.LastErrorOffset, decoder.LastError);
                failed = true;
            }

            break;
        }

        return n;
    }

    /// <summary>The clock offset to add now (the last good estimate while a new one is pending); 0 when not applied.</summary>
    private double CurrentCorrection()
    {
        if (_corrector is null || !_options.ApplyTimeCorrection)
        {
            return 0;
        }

        double correction = _corrector.Correction;
        if (!double.IsNaN(correction))
        {
            _lastCorrection = correction;
        }

        return _lastCorrection;
    }

    private bool Accept(ref double timestamp, double correction)
    {
        timestamp += correction;

        if (_afterReconnect)
        {
            if (timestamp <= _lastDelivered)
            {
                Interlocked.Increment(ref _duplicates);
                return false;
            }

            _afterReconnect = false;
            Interlocked.Increment(ref _recoveries);
            double downtime = LslClock.Now - _lostAt;
            double gap = double.IsNegativeInfinity(_lastDelivered) ? 0 : timestamp - _lastDelivered;
            long dropped = DuplicatesDropped - _duplicatesAtLoss;
            Report(new LslInletEvent(
                LslInletEventKind.Recovered,
                Info.Name,
                string.Format(CultureInfo.InvariantCulture, "LSL stream '{0}' recovered after {1:F3} s (uid {2}); timestamps jump by {3:F6} s; {4} duplicate samples dropped", Info.Name, downtime, Info.Uid, gap, dropped),
                DowntimeSeconds: downtime,
                GapSeconds: gap,
                DuplicatesDropped: dropped));
        }

        _lastDelivered = timestamp;
        return true;
    }

    private void Fail(LslFeedConnection connection, long offset, string problem)
    {
        var error = new LslProtocolException(Info.Name, offset, problem);
        Interlocked.Increment(ref _protocolErrors);
        Report(new LslInletEvent(LslInletEventKind.ProtocolError, Info.Name, error.Message + "; closing the connection and reconnecting", error));
        Drop(connection);
        _retryDelayed = true;
    }

    private void Drop(LslFeedConnection connection)
    {
        connection.Dispose();
        if (ReferenceEquals(_connection, connection))
        {
            _connection = null;
        }

        if (!_afterReconnect)
        {
            _lostAt = LslClock.Now;
            _duplicatesAtLoss = DuplicatesDropped;
        }

        _afterReconnect = true;
        if (!_options.Recover)
        {
            _lostForGood = true;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(LslFeedConnection connection, CancellationToken cancellationToken)
    {
        bool more;
        string reason;
        try
        {
            more = await connection.Buffer.FillAsync(connection.Socket, cancellationToken).ConfigureAwait(false);
            reason = "the outlet closed the connection";
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            more = false;
            reason = ex.Message;
        }

        if (!more)
        {
            long offset = connection.Buffer.Offset;
            int partial = connection.Buffer.Count;
            if (partial > 0)
            {
                var error = new LslProtocolException(Info.Name, offset, $"connection ended inside a sample ({partial} bytes of a truncated sample)");
                Interlocked.Increment(ref _protocolErrors);
                Report(new LslInletEvent(LslInletEventKind.ProtocolError, Info.Name, error.Message + "; reconnecting", error));
            }
            else
            {
                Report(new LslInletEvent(LslInletEventKind.ConnectionLost, Info.Name, $"LSL stream '{Info.Name}': {reason} at byte {offset}; reconnecting"));
            }

            Drop(connection);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LslFeedConnection?> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        if (_lostForGood)
        {
            return null;
        }

        int attempt = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attempt > 0 || _retryDelayed)
            {
                await Task.Delay(_options.RetryDelay, cancellationToken).ConfigureAwait(false);
            }

            _retryDelayed = false;
            attempt++;
            if (Info.SourceId.Length > 0 && _options.Recover)
            {
                await TryFollowRestartedOutletAsync(attempt, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                _connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                if (_options.ApplyTimeCorrection)
                {
                    // Connected without OpenAsync (or after it failed): start measuring the clock offset now.
                    _corrector ??= new LslTimeCorrector(ServiceEndPoint(Info), _config);
                }

                return _connection;
            }
            catch (Exception ex) when (ex is SocketException or IOException or LslProtocolException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (ex is LslProtocolException)
                {
                    Interlocked.Increment(ref _protocolErrors);
                }

                Report(new LslInletEvent(ex is LslProtocolException ? LslInletEventKind.ProtocolError : LslInletEventKind.ConnectionLost, Info.Name, $"LSL stream '{Info.Name}': reconnect attempt {attempt} failed: {ex.Message}", ex));
                if (!_options.Recover)
                {
                    _lostForGood = true;
                    return null;
                }
            }
        }
    }

    private async Task TryFollowRestartedOutletAsync(int attempt, CancellationToken cancellationToken)
    {
        IReadOnlyList<LslStreamInfo> found;
        try
        {
            found = await _resolver.ResolveAsync(LslQuery.ForRecovery(Info), 1, TimeSpan.FromSeconds(attempt == 1 ? 1.0 : 2.0), cancellationToken, TimeSpan.FromMilliseconds(150)).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            Report(new LslInletEvent(LslInletEventKind.ConnectionLost, Info.Name, $"LSL stream '{Info.Name}': re-resolve failed: {ex.Message}", ex));
            return;
        }

        if (found.Count == 1 && found[0].Uid != Info.Uid)
        {
            Info = found[0];
            _corrector?.Reset(ServiceEndPoint(Info));
        }
        else if (found.Count > 1)
        {
            Report(new LslInletEvent(LslInletEventKind.Ambiguous, Info.Name, $"LSL stream '{Info.Name}': {found.Count} streams match source_id '{Info.SourceId}'; not choosing one"));
        }
    }

    private async Task<LslFeedConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        int protocol = Math.Min(_config.UseProtocolVersion, Info.Version) >= 110 ? 110 : 100;
        try
        {
            return await LslFeedConnection.OpenAsync(Info, _options, protocol, cancellationToken).ConfigureAwait(false);
        }
        catch (LslLegacyFallbackException)
        {
            return await LslFeedConnection.OpenAsync(Info, _options, 100, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Report(LslInletEvent inletEvent)
    {
        try
        {
            _options.Events?.Invoke(inletEvent);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failing observer must not break the stream.
        }
    }
}
