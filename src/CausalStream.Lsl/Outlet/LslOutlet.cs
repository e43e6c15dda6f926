using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Discovery;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Protocol;
using CausalStream.Lsl.Time;
using CausalStream.Lsl.Transport;

namespace CausalStream.Lsl.Outlet;

/// <summary>
/// Publishes one stream over LSL, answering liblsl inlets and resolvers: a TCP port (16572–16603) for fullinfo,
/// shortinfo and data feeds (protocol 1.10 in either byte order, and the legacy 1.00), a UDP service port for
/// shortinfo queries and time probes, and optionally the shared discovery port 16571. Every connected inlet gets
/// its own bounded queue and send task; pushes encode each sample once per wire encoding in use and never block.
/// </summary>
public sealed class LslOutlet : IAsyncDisposable, IDisposable
{
    /// <summary>Byte-swap speed this outlet announces; higher than liblsl's typical figure, so it converts for big-endian inlets.</summary>
    public const double EndianPerformance = 1e7;

    private const int MaxQueryCache = 100;
    private const int MaxRequestLine = 4096;
    private readonly LslApiConfig _config;
    private readonly LslOutletOptions _options;
    private readonly Socket _listener;
    private readonly Socket _service;
    private readonly Socket? _responder;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly object _consumersLock = new();
    private readonly object _pushLock = new();
    private readonly LslSendSegment?[] _segments = new LslSendSegment?[3];
    private readonly Dictionary<string, bool> _queryCache = new(StringComparer.Ordinal);
    private readonly byte[] _shortInfo;
    private readonly byte[] _fullInfo;
    private readonly string _shortInfoXml;
    private readonly int _maxBuffered;
    private LslFeedConsumer[] _consumers = [];
    private double[] _timestamps = new double[16];
    private bool[] _deduced = new bool[16];
    private long _samplesPushed;
    private long _invalidDatagrams;
    private long _connectionErrors;
    private int _disposed;

    /// <summary>Publishes a pipeline stream (labels and units go to <c>desc/channels</c>).</summary>
    public LslOutlet(StreamInfo stream, LslOutletOptions? options = null)
        : this(LslStreamInfo.FromStreamInfo(stream), options)
    {
    }

    /// <summary>Publishes <paramref name="info"/>; its UID, creation time, host, session and ports are filled in here.</summary>
    /// <exception cref="SocketException">No port could be bound.</exception>
    public LslOutlet(LslStreamInfo info, LslOutletOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.ChannelCount <= 0)
        {
            throw new ArgumentException($"stream '{info.Name}': an outlet needs at least one channel", nameof(info));
        }

        _options = options ?? new LslOutletOptions();
        _config = _options.Config ?? LslApiConfig.Load();
        var address = LslPortBinder.LocalAddress(_config);
        _listener = LslPortBinder.BindTcpListener(_config, address);
        _service = LslPortBinder.BindUdp(_config, address);
        Info = info with
        {
            Uid = LslStreamInfo.NewUid(),
            CreatedAt = LslClock.Now,
            SessionId = _config.SessionId,
            Hostname = _options.Hostname ?? Dns.GetHostName(),
            Version = LslStreamInfo.CurrentVersion,
            V4Address = string.Empty,
            V4DataPort = ((IPEndPoint)_listener.LocalEndPoint!).Port,
            V4ServicePort = ((IPEndPoint)_service.LocalEndPoint!).Port,
            V6Address = string.Empty,
            V6DataPort = 0,
            V6ServicePort = 0,
        };
        _shortInfoXml = LslInfoXml.WriteShortInfo(Info);
        _shortInfo = Encoding.UTF8.GetBytes(_shortInfoXml);
        _fullInfo = Encoding.UTF8.GetBytes(LslInfoXml.WriteFullInfo(Info));
        _maxBuffered = _options.MaxBufferedSamples > 0 ? _options.MaxBufferedSamples : DefaultMaxBuffered(info);
        if (_options.EnableDiscoveryResponder)
        {
            _responder = OpenResponder(address);
        }

        _tasks.Add(Task.Run(AcceptLoopAsync));
        _tasks.Add(Task.Run(() => DatagramLoopAsync(_service, answerTimeProbes: true)));
        if (_responder is not null)
        {
            _tasks.Add(Task.Run(() => DatagramLoopAsync(_responder, answerTimeProbes: false)));
        }
    }

    /// <summary>Most bytes queued per consumer when <see cref="LslOutletOptions.MaxBufferedSamples"/> is not set.</summary>
    public const long DefaultMaxBufferedBytes = 256L * 1024 * 1024;

    /// <summary>The published stream info (UID, ports, host filled in).</summary>
    public LslStreamInfo Info { get; }

    /// <summary>TCP port of data feeds and info requests.</summary>
    public int DataPort => Info.V4DataPort;

    /// <summary>UDP port answering shortinfo queries and time probes.</summary>
    public int ServicePort => Info.V4ServicePort;

    /// <summary>Whether the discovery responder on the multicast port is open.</summary>
    public bool HasDiscoveryResponder => _responder is not null;

    /// <summary>Inlets currently receiving data.</summary>
    public int ConsumerCount => Volatile.Read(ref _consumers).Length;

    /// <summary>Samples passed to the push methods so far.</summary>
    public long SamplesPushed => Interlocked.Read(ref _samplesPushed);

    /// <summary>Samples dropped from full consumer queues, summed over current consumers.</summary>
    public long SamplesDropped
    {
        get
        {
            long total = 0;
            foreach (var consumer in Volatile.Read(ref _consumers))
            {
                total += consumer.Dropped;
            }

            return total;
        }
    }

    /// <summary>UDP datagrams that were not LSL requests (ignored).</summary>
    public long InvalidDatagrams => Interlocked.Read(ref _invalidDatagrams);

    /// <summary>TCP connections that ended with a malformed request or a network error.</summary>
    public long ConnectionErrors => Interlocked.Read(ref _connectionErrors);

    /// <summary>Waits until at least one inlet is connected; false on timeout.</summary>
    public async Task<bool> WaitForConsumersAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (ConsumerCount == 0)
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Pushes one numeric sample. Timestamp 0 = now (<see cref="LslClock"/>); −1 = deduced by the receiver
    /// (previous + 1/srate).
    /// </summary>
    public void PushSample(ReadOnlySpan<double> values, double timestamp = 0)
    {
        Span<double> one = [timestamp];
        PushChunk(values, one);
    }

    /// <summary>Pushes samples in row-major order with one timestamp each (0 = now, −1 = deduced).</summary>
    public void PushChunk(ReadOnlySpan<double> rowMajor, ReadOnlySpan<double> timestamps)
    {
        int n = CheckChunk(rowMajor.Length);
        if (timestamps.Length != n)
        {
            throw new ArgumentException($"stream '{Info.Name}': {timestamps.Length} timestamps for {n} samples", nameof(timestamps));
        }

        lock (_pushLock)
        {
            EnsureScratch(n);
            double now = 0;
            for (int i = 0; i < n; i++)
            {
                double ts = timestamps[i];
                _deduced[i] = ts == -1.0;
                if (ts == 0)
                {
                    now = now == 0 ? LslClock.Now : now;
                    ts = now;
                }

                _timestamps[i] = ts;
            }

            Distribute(rowMajor, null, n);
        }
    }

    /// <summary>
    /// Pushes samples with one timestamp for the whole chunk, as liblsl does: for a regular stream the first sample
    /// gets <c>timestamp − (n−1)/srate</c> and the others are sent as deduced; 0 = now.
    /// </summary>
    public void PushChunk(ReadOnlySpan<double> rowMajor, double timestamp)
    {
        int n = CheckChunk(rowMajor.Length);
        lock (_pushLock)
        {
            EnsureScratch(n);
            double ts = timestamp == 0 ? LslClock.Now : timestamp;
            double period = Info.NominalSrate > 0 ? 1.0 / Info.NominalSrate : 0;
            for (int i = 0; i < n; i++)
            {
                _timestamps[i] = period > 0 ? ts - ((n - 1 - i) * period) : ts;
                _deduced[i] = period > 0 && i > 0;
            }

            Distribute(rowMajor, null, n);
        }
    }

    /// <summary>Pushes one string sample (one string per channel); timestamp 0 = now.</summary>
    public void PushStrings(ReadOnlySpan<string> values, double timestamp = 0)
    {
        if (Info.Format != ChannelFormat.String)
        {
            throw new InvalidOperationException($"stream '{Info.Name}' is {LslChannelFormats.Name(Info.Format)}, not string");
        }

        if (values.Length != Info.ChannelCount)
        {
            throw new ArgumentException($"stream '{Info.Name}': {values.Length} strings for {Info.ChannelCount} channels", nameof(values));
        }

        lock (_pushLock)
        {
            EnsureScratch(1);
            _timestamps[0] = timestamp == 0 ? LslClock.Now : timestamp;
            _deduced[0] = timestamp == -1.0;
            string[] copy = values.ToArray();
            Distribute(default, copy, 1);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        _service.Dispose();
        _responder?.Dispose();
        LslFeedConsumer[] consumers;
        lock (_consumersLock)
        {
            consumers = _consumers;
            _consumers = [];
        }

        foreach (var consumer in consumers)
        {
            CloseQuietly(consumer.Socket);
        }

        try
        {
            await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Shutting down: loops end with these as their sockets close.
        }

        _stop.Dispose();
    }

    /// <summary>360 s of data (36000 samples for irregular streams) as liblsl, but at most <see cref="DefaultMaxBufferedBytes"/> per consumer.</summary>
    private static int DefaultMaxBuffered(LslStreamInfo info)
    {
        double samples = info.NominalSrate > 0 ? 360 * info.NominalSrate : 36000;
        long sampleBytes = info.Format == ChannelFormat.String ? 64L * info.ChannelCount : LslSampleEncoder.NumericSampleSize(info.Format, info.ChannelCount);
        double byBytes = DefaultMaxBufferedBytes / (double)Math.Max(1, sampleBytes);
        return (int)Math.Max(1, Math.Min(int.MaxValue, Math.Min(samples, byBytes)));
    }

    private static void CloseQuietly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        socket.Dispose();
    }

    private int CheckChunk(int valueCount)
    {
        if (Info.Format == ChannelFormat.String)
        {
            throw new InvalidOperationException($"stream '{Info.Name}' is a string stream; use PushStrings");
        }

        if (valueCount % Info.ChannelCount != 0)
        {
            throw new ArgumentException($"stream '{Info.Name}': {valueCount} values are not a whole number of {Info.ChannelCount}-channel samples");
        }

        return valueCount / Info.ChannelCount;
    }

    private void EnsureScratch(int n)
    {
        if (_timestamps.Length < n)
        {
            _timestamps = new double[Math.Max(n, _timestamps.Length * 2)];
            _deduced = new bool[_timestamps.Length];
        }
    }

    private void Distribute(ReadOnlySpan<double> rowMajor, string[]? strings, int n)
    {
        Interlocked.Add(ref _samplesPushed, n);
        var consumers = Volatile.Read(ref _consumers);
        if (consumers.Length == 0)
        {
            return;
        }

        int channels = Info.ChannelCount;
        foreach (var consumer in consumers)
        {
            int kind = (int)consumer.Encoding;
            var segment = _segments[kind];
            if (segment is null)
            {
                segment = LslSendSegment.Rent();
                segment.SampleCount = n;
                for (int i = 0; i < n; i++)
                {
                    Encode(segment.Buffer, consumer.Encoding, strings is null ? rowMajor.Slice(i * channels, channels) : default, strings, _timestamps[i], _deduced[i]);
                }

                _segments[kind] = segment;
            }

            consumer.Enqueue(segment);
        }

        for (int k = 0; k < _segments.Length; k++)
        {
            _segments[k]?.Release();
            _segments[k] = null;
        }
    }

    private void Encode(LslByteBuffer buffer, LslWireEncoding encoding, ReadOnlySpan<double> values, string[]? strings, double timestamp, bool deduced)
    {
        if (strings is not null)
        {
            if (encoding == LslWireEncoding.Legacy)
            {
                LslSampleEncoder.WriteLegacyStrings(buffer, strings, timestamp, deduced);
            }
            else
            {
                LslSampleEncoder.WriteStrings(buffer, strings, timestamp, deduced, encoding == LslWireEncoding.BigEndian);
            }
        }
        else if (encoding == LslWireEncoding.Legacy)
        {
            LslSampleEncoder.WriteLegacyNumeric(buffer, Info.Format, values, timestamp, deduced);
        }
        else
        {
            LslSampleEncoder.WriteNumeric(buffer, Info.Format, values, timestamp, deduced, encoding == LslWireEncoding.BigEndian);
        }
    }

    private void WriteTestPatterns(LslByteBuffer buffer, LslWireEncoding encoding)
    {
        if (Info.Format == ChannelFormat.String)
        {
            string[] pattern = LslTestPattern.Strings(Info.ChannelCount);
            Encode(buffer, encoding, default, pattern, LslTestPattern.Timestamp, false);
            Encode(buffer, encoding, default, pattern, LslTestPattern.Timestamp, false);
            return;
        }

        double[] values = ArrayPool<double>.Shared.Rent(Info.ChannelCount);
        try
        {
            var span = values.AsSpan(0, Info.ChannelCount);
            LslTestPattern.Fill(Info.Format, LslTestPattern.FirstOffset, span);
            Encode(buffer, encoding, span, null, LslTestPattern.Timestamp, false);
            LslTestPattern.Fill(Info.Format, LslTestPattern.SecondOffset, span);
            Encode(buffer, encoding, span, null, LslTestPattern.Timestamp, false);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(values);
        }
    }

    private Socket? OpenResponder(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, _config.MulticastPort));
            foreach (string target in _config.QueryAddresses())
            {
                var ip = IPAddress.Parse(target);
                byte first = ip.GetAddressBytes()[0];
                if (first is >= 224 and <= 239)
                {
                    try
                    {
                        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, _config.MulticastTtl());
                        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(ip, IPAddress.Any));
                    }
                    catch (SocketException ex)
                    {
                        _options.Log?.Invoke($"LSL outlet '{Info.Name}': could not join multicast group {target}: {ex.Message}");
                    }
                }
            }

            return socket;
        }
        catch (SocketException ex)
        {
            _options.Log?.Invoke($"LSL outlet '{Info.Name}': discovery responder on port {_config.MulticastPort} unavailable ({ex.Message}); the stream is still found through its service port");
            socket.Dispose();
            return null;
        }
    }

    private async Task DatagramLoopAsync(Socket socket, bool answerTimeProbes)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            double t1 = LslClock.Now;
            var remote = (IPEndPoint)received.RemoteEndPoint;
            try
            {
                await HandleDatagramAsync(socket, buffer.AsMemory(0, received.ReceivedBytes), remote, t1, answerTimeProbes, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or FormatException or ArgumentException)
            {
                Interlocked.Increment(ref _invalidDatagrams);
                _options.Log?.Invoke($"LSL outlet '{Info.Name}': datagram from {remote} not answered: {ex.Message}");
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async ValueTask HandleDatagramAsync(Socket socket, ReadOnlyMemory<byte> datagram, IPEndPoint remote, double t1, bool answerTimeProbes, CancellationToken token)
    {
        var span = datagram.Span;
        int newline = span.IndexOf((byte)'\n');
        string method = newline > 0 ? Encoding.ASCII.GetString(span[..newline]).Trim() : string.Empty;
        if (method == LslShortInfoQuery.Method)
        {
            if (!LslShortInfoQuery.TryParse(LslShortInfoQuery.SplitLines(span), out var query, out string error))
            {
                Invalid(remote, 0, error);
                return;
            }

            if (Matches(query!.Query))
            {
                byte[] reply = LslShortInfoQuery.WriteReply(query.QueryId, _shortInfoXml);
                await socket.SendToAsync(reply, SocketFlags.None, new IPEndPoint(remote.Address, query.ReturnPort), token).ConfigureAwait(false);
            }

            return;
        }

        if (method == LslTimeProbe.Method && answerTimeProbes)
        {
            string rest = Encoding.ASCII.GetString(span[(newline + 1)..]);
            if (!LslTimeProbe.TryParseRequest(rest, out int wave, out double t0))
            {
                Invalid(remote, newline + 1, "time probe without '<wave id> <t0>'");
                return;
            }

            byte[] reply = LslTimeProbe.WriteReply(wave, t0, t1, LslClock.Now);
            await socket.SendToAsync(reply, SocketFlags.None, remote, token).ConfigureAwait(false);
            return;
        }

        Invalid(remote, 0, $"not an LSL request ({span.Length} bytes, first line '{Printable(span[..Math.Max(0, Math.Min(newline < 0 ? span.Length : newline, 40))])}')");
    }

    private void Invalid(IPEndPoint remote, int offset, string problem)
    {
        Interlocked.Increment(ref _invalidDatagrams);
        _options.Log?.Invoke(new LslProtocolException($"{Info.Name} (datagram from {remote})", offset, problem).Message);
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            sb.Append(b is >= 32 and < 127 ? (char)b : '.');
        }

        return sb.ToString();
    }

    private bool Matches(string query)
    {
        lock (_queryCache)
        {
            if (_queryCache.TryGetValue(query, out bool cached))
            {
                return cached;
            }
        }

        bool result = false;
        if (LslQuery.TryParse(query, out var compiled, out string error))
        {
            result = compiled!.Matches(Info);
        }
        else
        {
            _options.Log?.Invoke($"LSL outlet '{Info.Name}': invalid query ignored: {error}");
        }

        lock (_queryCache)
        {
            if (_queryCache.Count >= MaxQueryCache)
            {
                _queryCache.Clear();
            }

            _queryCache[query] = result;
        }

        return result;
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            client.NoDelay = true;
            LslKeepAlive.Enable(client);
            _ = Task.Run(() => ServeConnectionAsync(client, token), CancellationToken.None);
        }
    }

    private async Task ServeConnectionAsync(Socket client, CancellationToken token)
    {
        using var buffer = new LslReceiveBuffer(8192);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(token);
            handshake.CancelAfter(TimeSpan.FromSeconds(10));
            string? line = await buffer.ReadLineAsync(client, MaxRequestLine, handshake.Token).ConfigureAwait(false);
            string method = line?.Trim() ?? string.Empty;
            if (method == "LSL:shortinfo")
            {
                string? query = await buffer.ReadLineAsync(client, MaxRequestLine, handshake.Token).ConfigureAwait(false);
                if (Matches(query?.Trim() ?? string.Empty))
                {
                    await client.SendAsync(_shortInfo, SocketFlags.None, token).ConfigureAwait(false);
                }
            }
            else if (method == "LSL:fullinfo")
            {
                await client.SendAsync(_fullInfo, SocketFlags.None, token).ConfigureAwait(false);
            }
            else if (method == "LSL:streamfeed")
            {
                string? parameters = await buffer.ReadLineAsync(client, MaxRequestLine, handshake.Token).ConfigureAwait(false);
                await ServeFeedAsync(client, LslFeedRequest.ParseLegacy(parameters ?? string.Empty), legacyRequest: true, token).ConfigureAwait(false);
                return;
            }
            else if (method.StartsWith("LSL:streamfeed/", StringComparison.Ordinal))
            {
                var headers = new List<string>();
                while (true)
                {
                    string? header = await buffer.ReadLineAsync(client, MaxRequestLine, handshake.Token).ConfigureAwait(false);
                    if (header is null || header.Length == 0)
                    {
                        break;
                    }

                    if (headers.Count > 100)
                    {
                        throw new InvalidDataException("more than 100 header lines");
                    }

                    headers.Add(header);
                }

                await ServeFeedAsync(client, LslFeedRequest.Parse(method, headers), legacyRequest: false, token).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException or FormatException or OperationCanceledException or ObjectDisposedException)
        {
            if (!token.IsCancellationRequested)
            {
                Interlocked.Increment(ref _connectionErrors);
                _options.Log?.Invoke($"LSL outlet '{Info.Name}': connection from {SafeRemote(client)} ended: {ex.Message}");
            }
        }
        finally
        {
            CloseQuietly(client);
        }
    }

    private static string SafeRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return "?";
        }
    }

    private async Task ServeFeedAsync(Socket client, LslFeedRequest request, bool legacyRequest, CancellationToken token)
    {
        using var head = new LslByteBuffer(1024);
        LslWireEncoding encoding;
        if (legacyRequest)
        {
            encoding = LslWireEncoding.Legacy;
            LslPortableArchive.WriteFeedHeader(head, _shortInfoXml);
        }
        else
        {
            if (request.Version / 100 > LslStreamInfo.CurrentVersion / 100)
            {
                await client.SendAsync(Encoding.ASCII.GetBytes(LslFeedResponse.WriteError(505, "Version not supported")), SocketFlags.None, token).ConfigureAwait(false);
                return;
            }

            if (request.Uid.Length > 0 && request.Uid != Info.Uid)
            {
                await client.SendAsync(Encoding.ASCII.GetBytes(LslFeedResponse.WriteError(404, "Not found")), SocketFlags.None, token).ConfigureAwait(false);
                return;
            }

            int dataProtocol = Math.Min(LslStreamInfo.CurrentVersion, request.Version);
            if (!request.HasIeee754Floats)
            {
                dataProtocol = 100;
            }

            bool convert = dataProtocol >= 110 && request.ByteOrder == 4321 && EndianPerformance > request.EndianPerformance
                && (Info.Format == ChannelFormat.String || LslChannelFormats.ValueSize(Info.Format) > 1);
            encoding = dataProtocol < 110 ? LslWireEncoding.Legacy : convert ? LslWireEncoding.BigEndian : LslWireEncoding.LittleEndian;
            var response = new LslFeedResponse
            {
                Uid = Info.Uid,
                ByteOrder = convert ? 4321 : 1234,
                SuppressSubnormals = LslChannelFormats.HasSubnormals(Info.Format) && !request.SupportsSubnormals,
                DataProtocolVersion = dataProtocol,
            };
            head.Write(Encoding.ASCII.GetBytes(response.Write()));
            if (encoding == LslWireEncoding.Legacy)
            {
                LslPortableArchive.WriteFeedHeader(head, _shortInfoXml);
            }
        }

        WriteTestPatterns(head, encoding);
        await client.SendAsync(head.WrittenMemory, SocketFlags.None, token).ConfigureAwait(false);
        if (request.MaxBufferLength == 0)
        {
            return;
        }

        var consumer = new LslFeedConsumer(client, encoding, Math.Min(request.MaxBufferLength, _maxBuffered));
        lock (_consumersLock)
        {
            _consumers = [.. _consumers, consumer];
        }

        using var connection = CancellationTokenSource.CreateLinkedTokenSource(token);
        try
        {
            var watch = WatchForCloseAsync(client, connection);
            var sender = new Task(() => consumer.Run(connection.Token), connection.Token, TaskCreationOptions.LongRunning);
            sender.Start(TaskScheduler.Default);
            await sender.ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connection.IsCancellationRequested)
        {
            // The inlet closed the connection or the outlet is shutting down.
        }
        finally
        {
            lock (_consumersLock)
            {
                _consumers = Array.FindAll(_consumers, c => c != consumer);
            }

            await connection.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task WatchForCloseAsync(Socket client, CancellationTokenSource connection)
    {
        var scratch = new byte[256];
        try
        {
            while (!connection.IsCancellationRequested)
            {
                int read = await client.ReceiveAsync(scratch, SocketFlags.None, connection.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed or cancelled: either way the feed ends.
        }

        await connection.CancelAsync().ConfigureAwait(false);
    }
}
