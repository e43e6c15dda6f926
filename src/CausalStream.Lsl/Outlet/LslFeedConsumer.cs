using System.Net.Sockets;

namespace CausalStream.Lsl.Outlet;

/// <summary>
/// One inlet's data connection at the outlet: its own bounded queue (oldest samples dropped when full) and its
/// own sending thread (as liblsl has), so a stalled inlet only fills its own queue and never slows the others or
/// the pusher, and a wake-up does not wait for a thread-pool thread.
/// </summary>
internal sealed class LslFeedConsumer
{
    private readonly Queue<LslSendSegment> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Protocol.LslByteBuffer _batch = new(16 * 1024);
    private readonly List<LslSendSegment> _sending = [];
    private int _queuedSamples;
    private long _dropped;

    public LslFeedConsumer(Socket socket, LslWireEncoding encoding, int capacity)
    {
        Socket = socket;
        Encoding = encoding;
        Capacity = Math.Max(1, capacity);
    }

    public Socket Socket { get; }

    public LslWireEncoding Encoding { get; }

    public int Capacity { get; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Enqueue(LslSendSegment segment)
    {
        bool wake;
        lock (_queue)
        {
            wake = _queue.Count == 0;
            _queue.Enqueue(segment.AddReference());
            _queuedSamples += segment.SampleCount;
            while (_queuedSamples > Capacity && _queue.Count > 1)
            {
                var old = _queue.Dequeue();
                _queuedSamples -= old.SampleCount;
                _dropped += old.SampleCount;
                old.Release();
            }
        }

        if (wake)
        {
            _signal.Release();
        }
    }

    /// <summary>Sends queued segments until the connection fails or <paramref name="cancellationToken"/> fires (blocking; run on its own thread).</summary>
    public void Run(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                _signal.Wait(cancellationToken);
                while (true)
                {
                    lock (_queue)
                    {
                        while (_queue.Count > 0 && _sending.Count < 256)
                        {
                            var segment = _queue.Dequeue();
                            _queuedSamples -= segment.SampleCount;
                            _sending.Add(segment);
                        }
                    }

                    if (_sending.Count == 0)
                    {
                        break;
                    }

                    _batch.Reset();
                    foreach (var segment in _sending)
                    {
                        _batch.Write(segment.Buffer.WrittenSpan);
                    }

                    try
                    {
                        Socket.Send(_batch.WrittenSpan, SocketFlags.None);
                    }
                    finally
                    {
                        foreach (var segment in _sending)
                        {
                            segment.Release();
                        }

                        _sending.Clear();
                    }
                }
            }
        }
        finally
        {
            lock (_queue)
            {
                while (_queue.Count > 0)
                {
                    _queue.Dequeue().Release();
                }

                _queuedSamples = 0;
            }

            _batch.Dispose();
        }
    }
}
