using System.Net;
using System.Net.Sockets;
using CausalStream.Lsl.Configuration;
using CausalStream.Lsl.Protocol;

namespace CausalStream.Lsl.Time;

/// <summary>
/// Estimates the offset between an outlet's clock and ours with <c>LSL:timedata</c> probes to its UDP service port:
/// every TimeUpdateInterval (2 s) a wave of TimeProbeCount (8) probes TimeProbeInterval (64 ms) apart; with at
/// least TimeUpdateMinProbes replies, the one with the smallest round trip sets <see cref="Correction"/> (to add to
/// remote timestamps) and <see cref="Uncertainty"/> (its round trip).
/// </summary>
public sealed class LslTimeCorrector : IAsyncDisposable
{
    private readonly LslApiConfig _config;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _gate = new();
    private IPEndPoint _target;
    private TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _correction = double.NaN;
    private double _uncertainty = double.NaN;
    private long _waves;

    public LslTimeCorrector(IPEndPoint serviceEndPoint, LslApiConfig? config = null)
    {
        _target = serviceEndPoint ?? throw new ArgumentNullException(nameof(serviceEndPoint));
        _config = config ?? LslApiConfig.Default;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Seconds to add to the outlet's timestamps to get local clock time; NaN until the first estimate.</summary>
    public double Correction
    {
        get
        {
            lock (_gate)
            {
                return _correction;
            }
        }
    }

    /// <summary>Round-trip time of the probe the estimate came from (an upper bound of its error).</summary>
    public double Uncertainty
    {
        get
        {
            lock (_gate)
            {
                return _uncertainty;
            }
        }
    }

    /// <summary>Completed waves with enough replies.</summary>
    public long Estimates => Interlocked.Read(ref _waves);

    /// <summary>Waits for the first estimate; false on timeout.</summary>
    public async Task<bool> WaitForEstimateAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task first;
        lock (_gate)
        {
            first = _first.Task;
        }

        try
        {
            await first.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Forgets the estimate and probes a new endpoint (after the stream moved to a restarted outlet).</summary>
    public void Reset(IPEndPoint serviceEndPoint)
    {
        lock (_gate)
        {
            _target = serviceEndPoint;
            _correction = double.NaN;
            _uncertainty = double.NaN;
            if (_first.Task.IsCompleted)
            {
                _first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        var buffer = new byte[512];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!token.IsCancellationRequested)
        {
            long waveStart = Environment.TickCount64;
            int wave = Random.Shared.Next();
            IPEndPoint target;
            lock (_gate)
            {
                target = _target;
            }

            var probes = new List<(LslTimeProbe Probe, double T3)>();
            long waveEnd = waveStart + (long)(((_config.TimeProbeCount * _config.TimeProbeInterval) + _config.TimeProbeMaxRtt) * 1000);
            long nextProbe = waveStart;
            int sent = 0;
            while (Environment.TickCount64 < waveEnd && !token.IsCancellationRequested)
            {
                if (sent < _config.TimeProbeCount && Environment.TickCount64 >= nextProbe)
                {
                    try
                    {
                        await socket.SendToAsync(LslTimeProbe.WriteRequest(wave, LslClock.Now), SocketFlags.None, target, token).ConfigureAwait(false);
                    }
                    catch (SocketException)
                    {
                        // Unreachable for now; the next wave tries again.
                    }

                    sent++;
                    nextProbe = waveStart + (long)(sent * _config.TimeProbeInterval * 1000);
                }

                long until = sent < _config.TimeProbeCount ? Math.Min(nextProbe, waveEnd) : waveEnd;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter((int)Math.Max(1, until - Environment.TickCount64));
                try
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, timeout.Token).ConfigureAwait(false);
                    double t3 = LslClock.Now;
                    if (LslTimeProbe.TryParseReply(buffer.AsSpan(0, received.ReceivedBytes), out var probe) && probe.WaveId == wave)
                    {
                        probes.Add((probe, t3));
                    }
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    // Time to send the next probe or to evaluate the wave.
                }
                catch (SocketException)
                {
                    // ICMP errors on some platforms; keep probing.
                }
            }

            if (probes.Count >= Math.Max(1, _config.TimeUpdateMinProbes))
            {
                double bestRtt = double.MaxValue;
                double bestOffset = 0;
                foreach (var (probe, t3) in probes)
                {
                    double rtt = probe.RoundTrip(t3);
                    if (rtt < bestRtt)
                    {
                        bestRtt = rtt;
                        bestOffset = probe.Offset(t3);
                    }
                }

                lock (_gate)
                {
                    if (target.Equals(_target))
                    {
                        _correction = -bestOffset;
                        _uncertainty = bestRtt;
                        _first.TrySetResult();
                    }
                }

                Interlocked.Increment(ref _waves);
            }

            long next = waveStart + (long)(_config.TimeUpdateInterval * 1000);
            long delay = next - Environment.TickCount64;
            if (delay > 0)
            {
                await Task.Delay((int)delay, token).ConfigureAwait(false);
            }
        }
    }
}
