using System.Net.Sockets;

namespace CausalStream.Lsl.Outlet;

/// <summary>
/// One inlet's data connection at the outlet: its own bounded queue (oldest samples dropped when full) and its
/// own send task, so a stalled inlet only fills its own queue and never slows the others or the pusher.
/// </summary>
internal sealed class LslFeedConsumer
{
    private readonly Queue<LslSendSegment> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly List<ArraySegment<byte>> _batch = [];
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

    /// <summary>Sends queued segments until the connection fails or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
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

                    _batch.Clear();
                    foreach (var segment in _sending)
                    {
                        var memory = segment.Buffer.WrittenMemory;
                        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var array))
                        {
                            _batch.Add(array);
                        }
                    }

                    try
                    {
                        await Socket.SendAsync(_batch, SocketFlags.None).WaitAsync(cancellationToken).ConfigureAwait(false);
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
        }
    }
}
