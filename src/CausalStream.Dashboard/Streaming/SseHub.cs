using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;

namespace CausalStream.Dashboard.Streaming;

/// <summary>
/// The connected browsers and what a newly connected one must see first (latest health report, recent graphs
/// per stream, recent stimulation decisions, the control state). Publishing queues an event on every client
/// without waiting; connecting takes a consistent snapshot, so a browser sees each event once, in order.
/// </summary>
internal sealed class SseHub
{
    private readonly object _gate = new();
    private readonly int _capacityPerClient;
    private readonly int _maxClients;
    private readonly int _historyGraphs;
    private readonly Dictionary<string, RecentItems<CausalGraph>> _graphs = new(StringComparer.Ordinal);
    private readonly RecentItems<StimulationDecision> _decisions;
    private SseClient[] _clients = [];
    private PipelineStatus? _status;
    private byte[]? _control;
    private long _nextId;
    private long _published;
    private long _droppedByDisconnected;
    private long _connections;

    public SseHub(int capacityPerClient, int maxClients, int historyGraphs, int recentDecisions)
    {
        _capacityPerClient = capacityPerClient;
        _maxClients = maxClients;
        _historyGraphs = historyGraphs;
        _decisions = new RecentItems<StimulationDecision>(recentDecisions);
    }

    /// <summary>Events published (results, control changes), not counting keep-alives.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Connections accepted so far.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    public int ClientCount => Volatile.Read(ref _clients).Length;

    /// <summary>Events dropped for slow browsers, including those that have since disconnected.</summary>
    public long DroppedTotal
    {
        get
        {
            var clients = Volatile.Read(ref _clients);
            long total = Interlocked.Read(ref _droppedByDisconnected);
            for (int i = 0; i < clients.Length; i++)
            {
                total += clients[i].Dropped;
            }

            return total;
        }
    }

    /// <summary>Registers a browser and returns what it must be sent before its queue; null when the hub is full.</summary>
    public SseClient? TryConnect(string remote, out HubSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_clients.Length >= _maxClients)
            {
                snapshot = HubSnapshot.Empty;
                return null;
            }

            var graphs = new List<CausalGraph[]>(_graphs.Count);
            foreach (var ring in _graphs.Values)
            {
                graphs.Add(ring.ToArray());
            }

            snapshot = new HubSnapshot(_status, graphs, _decisions.ToArray(), _control);
            var client = new SseClient(++_nextId, remote, _capacityPerClient);
            var clients = new SseClient[_clients.Length + 1];
            _clients.CopyTo(clients, 0);
            clients[^1] = client;
            Volatile.Write(ref _clients, clients);
            _connections++;
            return client;
        }
    }

    public void Disconnect(SseClient client)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_clients, client);
            if (index < 0)
            {
                return;
            }

            var clients = new SseClient[_clients.Length - 1];
            Array.Copy(_clients, 0, clients, 0, index);
            Array.Copy(_clients, index + 1, clients, index, _clients.Length - index - 1);
            Volatile.Write(ref _clients, clients);
            _droppedByDisconnected += client.Dropped;
            client.Complete();
        }
    }

    /// <summary>Remembers a result for future snapshots and queues its event on every client; never waits.</summary>
    public void Publish(PipelineResult result, byte[] frame)
    {
        lock (_gate)
        {
            switch (result)
            {
                case CausalGraph graph:
                    if (_historyGraphs > 0)
                    {
                        if (!_graphs.TryGetValue(graph.Stream, out var ring))
                        {
                            ring = new RecentItems<CausalGraph>(_historyGraphs);
                            _graphs.Add(graph.Stream, ring);
                        }

                        ring.Add(graph);
                    }

                    break;
                case PipelineStatus status:
                    _status = status;
                    break;
                case StimulationDecision decision:
                    _decisions.Add(decision);
                    break;
            }

            _published++;
            EnqueueAll(frame);
        }
    }

    /// <summary>Queues a control-state event on every client and keeps it for future snapshots.</summary>
    public void PublishControl(byte[] frame)
    {
        lock (_gate)
        {
            _control = frame;
            _published++;
            EnqueueAll(frame);
        }
    }

    /// <summary>Queues a keep-alive comment on every client.</summary>
    public void Heartbeat()
    {
        lock (_gate)
        {
            EnqueueAll(SseEncoder.Heartbeat);
        }
    }

    public DashboardClientStats[] Describe()
    {
        var clients = Volatile.Read(ref _clients);
        var stats = new DashboardClientStats[clients.Length];
        for (int i = 0; i < clients.Length; i++)
        {
            stats[i] = clients[i].Describe();
        }

        return stats;
    }

    /// <summary>Ends every feed (at shutdown).</summary>
    public void CompleteAll()
    {
        var clients = Volatile.Read(ref _clients);
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i].Complete();
        }
    }

    private void EnqueueAll(byte[] frame)
    {
        var clients = _clients;
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i].Enqueue(frame);
        }
    }
}
