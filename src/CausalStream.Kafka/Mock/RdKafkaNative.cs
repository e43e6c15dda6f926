using System.Reflection;
using System.Runtime.InteropServices;

namespace CausalStream.Kafka.Mock;

/// <summary>
/// Calls into librdkafka's C API for what Confluent.Kafka does not expose (the in-process mock cluster). The
/// library is resolved explicitly because the default linux-x64 build needs libsasl2, which some distributions lack:
/// the resolver tries the same file names Confluent.Kafka falls back to, so one library is loaded whichever side
/// loads first.
/// </summary>
internal static class RdKafkaNative
{
    private const string Library = "librdkafka";
    private static readonly string[] Candidates = ["librdkafka", "centos8-librdkafka", "alpine-librdkafka"];
    private static readonly object Gate = new();
    private static bool _installed;
    private static IntPtr _handle;

    /// <summary>Installs the resolver for this assembly once (NativeLibrary allows one per assembly).</summary>
    public static void EnsureResolver()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(RdKafkaNative).Assembly, Resolve);
            _installed = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        lock (Gate)
        {
            if (_handle != IntPtr.Zero)
            {
                return _handle;
            }

            var errors = new List<string>();
            foreach (string candidate in Candidates)
            {
                if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out _handle))
                {
                    return _handle;
                }

                foreach (string folder in NativeFolders())
                {
                    string path = Path.Combine(folder, candidate + ".so");
                    if (!File.Exists(path))
                    {
                        continue;
                    }

                    try
                    {
                        _handle = NativeLibrary.Load(path);
                        return _handle;
                    }
                    catch (DllNotFoundException ex)
                    {
                        errors.Add(path + ": " + ex.Message);
                    }
                }
            }

            throw new DllNotFoundException("librdkafka could not be loaded from any of " + string.Join(", ", Candidates) + (errors.Count > 0 ? ": " + string.Join("; ", errors) : string.Empty));
        }
    }

    private static IEnumerable<string> NativeFolders()
    {
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        yield return AppContext.BaseDirectory;
        string? confluent = Path.GetDirectoryName(typeof(Confluent.Kafka.Library).Assembly.Location);
        if (!string.IsNullOrEmpty(confluent))
        {
            yield return Path.Combine(confluent, "runtimes", rid, "native");
        }
    }

    [DllImport(Library, EntryPoint = "rd_kafka_conf_new", CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr ConfNew();

    [DllImport(Library, EntryPoint = "rd_kafka_conf_destroy", CallingConvention = CallingConvention.Cdecl)]
    public static extern void ConfDestroy(IntPtr conf);

    [DllImport(Library, EntryPoint = "rd_kafka_conf_set", CallingConvention = CallingConvention.Cdecl)]
    public static extern int ConfSet(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errstr, UIntPtr errstrSize);

    [DllImport(Library, EntryPoint = "rd_kafka_new", CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr New(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [DllImport(Library, EntryPoint = "rd_kafka_destroy", CallingConvention = CallingConvention.Cdecl)]
    public static extern void Destroy(IntPtr rk);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_cluster_new", CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr MockClusterNew(IntPtr rk, int brokerCount);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy", CallingConvention = CallingConvention.Cdecl)]
    public static extern void MockClusterDestroy(IntPtr cluster);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps", CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr MockClusterBootstraps(IntPtr cluster);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_topic_create", CallingConvention = CallingConvention.Cdecl)]
    public static extern int MockTopicCreate(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_broker_set_down", CallingConvention = CallingConvention.Cdecl)]
    public static extern int MockBrokerSetDown(IntPtr cluster, int brokerId);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_broker_set_up", CallingConvention = CallingConvention.Cdecl)]
    public static extern int MockBrokerSetUp(IntPtr cluster, int brokerId);

    [DllImport(Library, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms", CallingConvention = CallingConvention.Cdecl)]
    public static extern void MockGroupInitialRebalanceDelayMs(IntPtr cluster, int delayMs);

    [DllImport(Library, EntryPoint = "rd_kafka_err2str", CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr ErrorToString(int error);

    [DllImport(Library, EntryPoint = "rd_kafka_version_str", CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr VersionString();
}
