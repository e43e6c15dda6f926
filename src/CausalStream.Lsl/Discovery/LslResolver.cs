using System.Net;
using System.Net.Sockets;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Info;
using CausalStream.Lsl.Protocol;
using CausalStream.Lsl.Transport;

namespace CausalStream.Lsl.Discovery;

/// <summary>
/// Finds streams with UDP <c>LSL:shortinfo</c> queries, as liblsl's resolver: the query goes to every discovery
/// address of the configured scope (port 16571) and, for known peers, to every port of the base range; waves are
/// resent every MulticastMinRTT (0.5 s); replies are matched by query id, de-duplicated by UID, and the stream's
/// address is taken from the reply's source. Only <see cref="LslApiConfig.Loopback"/> is used in tests.
/// </summary>
public sealed class LslResolver
{
    private readonly LslApiConfig _config;
    private readonly Action<string>? _log;
    private long _invalidReplies;

    public LslResolver(LslApiConfig? config = null, Action<string>? log = null)
    {
        _config = config ?? LslApiConfig.Load();
        _log = log;
    }

    /// <summary>The settings queries are sent with.</summary>
    public LslApiConfig Config => _config;

    /// <summary>Replies that carried our query id but were malformed, or datagrams that were not replies at all.</summary>
    public long InvalidReplies => Interlocked.Read(ref _invalidReplies);

    /// <summary>Every stream of the configured session visible within <paramref name="wait"/>.</summary>
    public Task<IReadOnlyList<LslStreamInfo>> ResolveAllAsync(TimeSpan wait, CancellationToken cancellationToken = default)
        => ResolveAsync(LslQuery.ByPredicate(string.Empty, _config.SessionId), 0, wait, cancellationToken);

    /// <summary>
    /// Streams matching <paramref name="query"/> (raw XPath, sent as is). Returns as soon as <paramref name="minimum"/>
    /// (&gt; 0) streams were found and <paramref name="minimumTime"/> has passed, else after <paramref name="timeout"/>.
    /// </summary>
    public async Task<IReadOnlyList<LslStreamInfo>> ResolveAsync(string query, int minimum, TimeSpan timeout, CancellationToken cancellationToken = default, TimeSpan? minimumTime = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var results = new Dictionary<string, LslStreamInfo>(StringComparer.Ordinal);
        var order = new List<string>();
        string queryId = LslShortInfoQuery.IdFor(query);
        var bindAddress = LslPortBinder.LocalAddress(_config);
        using var socket = LslPortBinder.BindUdp(_config, bindAddress);
        int returnPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        byte[] datagram = new LslShortInfoQuery(query, returnPort, queryId).ToBytes();
        var targets = await TargetsAsync(cancellationToken).ConfigureAwait(false);
        ConfigureSending(socket, targets);

        long start = Environment.TickCount64;
        long deadline = start + (long)timeout.TotalMilliseconds;
        long minDone = start + (long)(minimumTime ?? TimeSpan.Zero).TotalMilliseconds;
        long waveInterval = Math.Max(50, (long)(_config.MulticastMinRtt * 1000));
        long nextWave = start;
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            long now = Environment.TickCount64;
            if (now >= deadline || (minimum > 0 && results.Count >= minimum && now >= minDone))
            {
                break;
            }

            if (now >= nextWave)
            {
                foreach (var target in targets)
                {
                    try
                    {
                        await socket.SendToAsync(datagram, SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SocketException ex)
                    {
                        _log?.Invoke($"LSL resolver: query to {target} failed: {ex.Message}");
                    }
                }

                nextWave = now + waveInterval;
            }

            long waitUntil = Math.Min(deadline, nextWave);
            if (minimum > 0 && results.Count >= minimum)
            {
                waitUntil = Math.Min(waitUntil, minDone);
            }

            int waitMs = (int)Math.Max(1, waitUntil - Environment.TickCount64);
            using var receiveTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            receiveTimeout.CancelAfter(waitMs);
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, receiveTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue;
            }
            catch (SocketException)
            {
                continue;
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            if (buffer.AsSpan(0, received.ReceivedBytes).StartsWith("LSL:"u8))
            {
                // Another resolver's query (known-peer scans reach every socket of the range, ours included).
                continue;
            }

            try
            {
                if (!LslShortInfoQuery.TryParseReply(buffer.AsSpan(0, received.ReceivedBytes), queryId, $"reply from {remote}", out var info))
                {
                    Interlocked.Increment(ref _invalidReplies);
                    continue;
                }

                if (!results.ContainsKey(info!.Uid))
                {
                    results[info.Uid] = info.V4Address.Length == 0 ? info with { V4Address = remote.Address.ToString() } : info;
                    order.Add(info.Uid);
                }
            }
            catch (LslProtocolException ex)
            {
                Interlocked.Increment(ref _invalidReplies);
                _log?.Invoke(ex.Message);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var list = new List<LslStreamInfo>(order.Count);
        foreach (string uid in order)
        {
            list.Add(results[uid]);
        }

        return list;
    }

    private async Task<List<IPEndPoint>> TargetsAsync(CancellationToken cancellationToken)
    {
        var targets = new List<IPEndPoint>();
        foreach (string address in _config.QueryAddresses())
        {
            targets.Add(new IPEndPoint(IPAddress.Parse(address), _config.MulticastPort));
        }

        foreach (string peer in _config.KnownPeers)
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(peer, out var literal))
            {
                addresses = [literal];
            }
            else
            {
                try
                {
                    addresses = await Dns.GetHostAddressesAsync(peer, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    _log?.Invoke($"LSL resolver: known peer '{peer}' not found: {ex.Message}");
                    continue;
                }
            }

            foreach (var ip in addresses)
            {
                if (ip.AddressFamily != AddressFamily.InterNetwork)
                {
                    continue;
                }

                for (int port = _config.BasePort; port < _config.BasePort + _config.PortRange; port++)
                {
                    targets.Add(new IPEndPoint(ip, port));
                }
            }
        }

        return targets;
    }

    private void ConfigureSending(Socket socket, List<IPEndPoint> targets)
    {
        foreach (var target in targets)
        {
            byte[] bytes = target.Address.GetAddressBytes();
            if (target.Address.Equals(IPAddress.Broadcast))
            {
                socket.EnableBroadcast = true;
            }
            else if (bytes[0] is >= 224 and <= 239)
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, _config.MulticastTtl());
            }
        }
    }
}
