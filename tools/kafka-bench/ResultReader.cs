using System.Diagnostics;
using CausalStream.Kafka.Producing;
using Confluent.Kafka;

namespace CausalStream.KafkaBench;

/// <summary>Reads a results topic from the beginning and counts distinct graphs by their identity header (stream and window end), noting when the newest one arrived.</summary>
internal sealed class ResultReader : IDisposable
{
    private readonly IConsumer<Ignore, Ignore> _consumer;
    private readonly HashSet<string> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private long _distinct;
    private long _duplicates;
    private long _lastArrival;

    public ResultReader(string bootstrapServers, string topic)
    {
        _consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "bench-results-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
            SessionTimeoutMs = 6000,
        }).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topic);
    }

    public long Distinct => Interlocked.Read(ref _distinct);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Stopwatch timestamp of the newest distinct graph.</summary>
    public long LastArrival => Interlocked.Read(ref _lastArrival);

    public void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<Ignore, Ignore>? result;
            try
            {
                result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException)
            {
                continue;
            }

            if (result?.Message is not { } message || ResultHeaders.Get(message.Headers, ResultHeaders.Type) != "graph")
            {
                continue;
            }

            string? id = ResultHeaders.Get(message.Headers, ResultHeaders.Identity);
            if (id is null)
            {
                continue;
            }

            if (_seen.Add(id))
            {
                Interlocked.Exchange(ref _lastArrival, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _distinct);
            }
            else
            {
                Interlocked.Increment(ref _duplicates);
            }
        }
    }

    public void Stop() => _stop.Cancel();

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }
}
