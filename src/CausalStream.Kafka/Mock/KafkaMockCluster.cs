using System.Runtime.InteropServices;

namespace CausalStream.Kafka.Mock;

/// <summary>
/// librdkafka's in-process mock cluster: real Kafka protocol on loopback ports, no broker installation. Tests and
/// benchmarks run ordinary clients against <see cref="BootstrapServers"/>; topics are created through the mock API
/// (the admin API's CreateTopics is not supported by the mock). The mock API is experimental in librdkafka, so the
/// package version is pinned. Dispose every client connected to the cluster before disposing the cluster.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _owner;
    private IntPtr _cluster;

    /// <param name="brokers">Number of mock brokers (ids 1..brokers).</param>
    /// <param name="initialRebalanceDelayMs">Group initial rebalance delay; 0 makes the first join of a group quick.</param>
    public KafkaMockCluster(int brokers = 3, int initialRebalanceDelayMs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(brokers);
        RdKafkaNative.EnsureResolver();
        var error = new byte[512];
        IntPtr conf = RdKafkaNative.ConfNew();
        RdKafkaNative.ConfSet(conf, "log_level", "3", error, (UIntPtr)error.Length);
        _owner = RdKafkaNative.New(0, conf, error, (UIntPtr)error.Length);
        if (_owner == IntPtr.Zero)
        {
            RdKafkaNative.ConfDestroy(conf); // rd_kafka_new takes ownership of conf only on success
            throw new InvalidOperationException("librdkafka could not create the mock cluster's owner handle: " + Text(error));
        }

        _cluster = RdKafkaNative.MockClusterNew(_owner, brokers);
        if (_cluster == IntPtr.Zero)
        {
            RdKafkaNative.Destroy(_owner);
            _owner = IntPtr.Zero;
            throw new InvalidOperationException($"librdkafka could not create a mock cluster of {brokers} brokers");
        }

        RdKafkaNative.MockGroupInitialRebalanceDelayMs(_cluster, initialRebalanceDelayMs);
        BrokerCount = brokers;
        BootstrapServers = Marshal.PtrToStringUTF8(RdKafkaNative.MockClusterBootstraps(_cluster)) ?? string.Empty;
    }

    /// <summary>Comma-separated loopback addresses of the mock brokers, for a client's bootstrap.servers.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>librdkafka's version string, e.g. "2.16.0".</summary>
    public static string LibraryVersion
    {
        get
        {
            RdKafkaNative.EnsureResolver();
            return Marshal.PtrToStringUTF8(RdKafkaNative.VersionString()) ?? "?";
        }
    }

    /// <summary>Creates a topic (replication factor at most the broker count).</summary>
    /// <exception cref="InvalidOperationException">The mock refused; the message names the topic and librdkafka's reason.</exception>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        int code = RdKafkaNative.MockTopicCreate(Handle(), topic, partitions, replicationFactor);
        Check(code, $"create topic '{topic}' ({partitions} partitions, replication {replicationFactor})");
    }

    /// <summary>Takes broker <paramref name="brokerId"/> (1-based) down: its connections close and it refuses new ones.</summary>
    public void SetBrokerDown(int brokerId) => Check(RdKafkaNative.MockBrokerSetDown(Handle(), brokerId), $"set broker {brokerId} down");

    /// <summary>Brings broker <paramref name="brokerId"/> back up.</summary>
    public void SetBrokerUp(int brokerId) => Check(RdKafkaNative.MockBrokerSetUp(Handle(), brokerId), $"set broker {brokerId} up");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                RdKafkaNative.MockClusterDestroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_owner != IntPtr.Zero)
            {
                RdKafkaNative.Destroy(_owner);
                _owner = IntPtr.Zero;
            }
        }
    }

    private IntPtr Handle()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            return _cluster;
        }
    }

    private static void Check(int code, string what)
    {
        if (code != 0)
        {
            string reason = Marshal.PtrToStringUTF8(RdKafkaNative.ErrorToString(code)) ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new InvalidOperationException($"mock cluster: cannot {what}: {reason}");
        }
    }

    private static string Text(byte[] buffer)
    {
        int end = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }
}
