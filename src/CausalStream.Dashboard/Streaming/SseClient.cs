using System.Diagnostics;
using System.Threading.Channels;

namespace CausalStream.Dashboard.Streaming;

/// <summary>
/// One browser on the live feed: a bounded drop-oldest queue of encoded events that the broadcaster writes to
/// without waiting, and that the connection's own task drains onto the socket.
/// </summary>
internal sealed class SseClient
{
    private readonly Channel<byte[]> _queue;
    private readonly long _connectedTicks = Stopwatch.GetTimestamp();
    private long _sent;
    private long _dropped;

    public SseClient(long id, string remote, int capacity)
    {
        Id = id;
        Remote = remote;
        _queue = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false },
            OnDropped);
    }

    public long Id { get; }

    public string Remote { get; }

    public ChannelReader<byte[]> Reader => _queue.Reader;

    public long Sent => Interlocked.Read(ref _sent);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an event; never waits (a full queue drops its oldest event and counts it).</summary>
    public void Enqueue(byte[] frame) => _queue.Writer.TryWrite(frame);

    public void AddSent() => Interlocked.Increment(ref _sent);

    /// <summary>Ends the feed: the connection's task finishes after what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public DashboardClientStats Describe() => new(Id, Remote, Stopwatch.GetElapsedTime(_connectedTicks).TotalSeconds, _queue.Reader.Count, Sent, Dropped);

    private void OnDropped(byte[] frame) => Interlocked.Increment(ref _dropped);
}
