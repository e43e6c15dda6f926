using System.Globalization;

namespace CausalStream.Lsl.Configuration;

/// <summary>
/// The settings of liblsl's <c>lsl_api.cfg</c> that change behaviour on the wire: ports, discovery scope and
/// addresses, known peers, session id, protocol version and timing. <see cref="Load"/> finds the file the way
/// liblsl does (<c>$LSLAPICFG</c>, <c>./lsl_api.cfg</c>, <c>~/lsl_api/lsl_api.cfg</c>, <c>/etc/lsl_api/lsl_api.cfg</c>) and
/// otherwise gives liblsl's defaults. <see cref="Loopback"/> confines all traffic to 127.0.0.1 (tests, CI).
/// </summary>
public sealed record LslApiConfig
{
    /// <summary>IPv4 broadcast address, part of the link scope.</summary>
    public const string BroadcastAddress = "255.255.255.255";

    public int MulticastPort { get; init; } = 16571;

    public int BasePort { get; init; } = 16572;

    public int PortRange { get; init; } = 32;

    public bool AllowRandomPorts { get; init; } = true;

    /// <summary><c>disable</c>, <c>allow</c> or <c>force</c>. This implementation speaks IPv4 only; IPv6 addresses are skipped.</summary>
    public string IPv6 { get; init; } = "allow";

    /// <summary><c>machine</c>, <c>link</c>, <c>site</c>, <c>organization</c> or <c>global</c>.</summary>
    public string ResolveScope { get; init; } = "site";

    /// <summary>Local address outlet sockets bind to; empty = any.</summary>
    public string ListenAddress { get; init; } = string.Empty;

    public IReadOnlyList<string> MachineAddresses { get; init; } = ["127.0.0.1"];

    public IReadOnlyList<string> LinkAddresses { get; init; } = [BroadcastAddress, "224.0.0.1", "224.0.0.183"];

    public IReadOnlyList<string> SiteAddresses { get; init; } = ["239.255.172.215"];

    public IReadOnlyList<string> OrganizationAddresses { get; init; } = [];

    public IReadOnlyList<string> GlobalAddresses { get; init; } = [];

    /// <summary>If non-empty, replaces the scope's address list.</summary>
    public IReadOnlyList<string> AddressesOverride { get; init; } = [];

    /// <summary>If &gt;= 0, replaces the scope's multicast TTL.</summary>
    public int TtlOverride { get; init; } = -1;

    /// <summary>Hosts queried by unicast on every port of the base range (each outlet's service port).</summary>
    public IReadOnlyList<string> KnownPeers { get; init; } = [];

    public string SessionId { get; init; } = "default";

    /// <summary>110, or 100 to force the legacy data protocol.</summary>
    public int UseProtocolVersion { get; init; } = 110;

    public double MulticastMinRtt { get; init; } = 0.5;

    public double MulticastMaxRtt { get; init; } = 3.0;

    public double UnicastMinRtt { get; init; } = 0.75;

    public double UnicastMaxRtt { get; init; } = 5.0;

    public double ContinuousResolveInterval { get; init; } = 0.5;

    public double TimeUpdateInterval { get; init; } = 2.0;

    public int TimeUpdateMinProbes { get; init; } = 6;

    public int TimeProbeCount { get; init; } = 8;

    public double TimeProbeInterval { get; init; } = 0.064;

    public double TimeProbeMaxRtt { get; init; } = 0.128;

    public double WatchdogCheckInterval { get; init; } = 15.0;

    public double WatchdogTimeThreshold { get; init; } = 15.0;

    /// <summary>Where the settings came from (a file path, "defaults" or "loopback").</summary>
    public string Source { get; init; } = "defaults";

    /// <summary>liblsl's built-in defaults.</summary>
    public static LslApiConfig Default { get; } = new();

    /// <summary>
    /// Loopback only: queries go by unicast to 127.0.0.1 (port 16571 and every port of the base range), outlets
    /// bind to 127.0.0.1, nothing is broadcast or multicast.
    /// </summary>
    public static LslApiConfig Loopback { get; } = new()
    {
        ResolveScope = "machine",
        ListenAddress = "127.0.0.1",
        MachineAddresses = ["127.0.0.1"],
        KnownPeers = ["127.0.0.1"],
        IPv6 = "disable",
        Source = "loopback",
    };

    /// <summary>The first configuration file liblsl would read, or null.</summary>
    public static string? FindConfigFile()
    {
        string? env = Environment.GetEnvironmentVariable("LSLAPICFG");
        if (!string.IsNullOrEmpty(env) && File.Exists(env))
        {
            return env;
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] candidates =
        [
            Path.Combine(Directory.GetCurrentDirectory(), "lsl_api.cfg"),
            Path.Combine(home, "lsl_api", "lsl_api.cfg"),
            "/etc/lsl_api/lsl_api.cfg",
        ];
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Reads the file liblsl would read, or returns the defaults when there is none.</summary>
    /// <exception cref="FormatException">The file is malformed (the message names it and the line).</exception>
    public static LslApiConfig Load()
    {
        string? path = FindConfigFile();
        return path is null ? Default : LoadFile(path);
    }

    /// <summary>Reads one <c>lsl_api.cfg</c> file.</summary>
    public static LslApiConfig LoadFile(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses INI text: <c>[section]</c>, <c>Key = value</c>, <c>;</c> comments, sets written <c>{a, b}</c>; a duplicate key is an error.</summary>
    /// <exception cref="FormatException">A malformed line or value, or a duplicate key.</exception>
    public static LslApiConfig Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string section = string.Empty;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == ';' || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                int close = line.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new FormatException($"{source}:{i + 1}: section header without ']'");
                }

                section = line[1..close].Trim();
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"{source}:{i + 1}: expected 'Key = value'");
            }

            string key = section.Length > 0 ? section + "." + line[..eq].Trim() : line[..eq].Trim();
            if (!values.TryAdd(key, line[(eq + 1)..].Trim()))
            {
                throw new FormatException($"{source}:{i + 1}: duplicate key '{key}'");
            }
        }

        var config = new LslApiConfig { Source = source };
        foreach (var (key, value) in values)
        {
            config = key switch
            {
                "ports.MulticastPort" => config with { MulticastPort = Int(value, key, source) },
                "ports.BasePort" => config with { BasePort = Int(value, key, source) },
                "ports.PortRange" => config with { PortRange = Int(value, key, source) },
                "ports.AllowRandomPorts" => config with { AllowRandomPorts = value == "1" },
                "ports.IPv6" => config with { IPv6 = value },
                "multicast.ResolveScope" => config with { ResolveScope = value },
                "multicast.ListenAddress" => config with { ListenAddress = value },
                "multicast.MachineAddresses" => config with { MachineAddresses = Set(value) },
                "multicast.LinkAddresses" => config with { LinkAddresses = Set(value) },
                "multicast.SiteAddresses" => config with { SiteAddresses = Set(value) },
                "multicast.OrganizationAddresses" => config with { OrganizationAddresses = Set(value) },
                "multicast.GlobalAddresses" => config with { GlobalAddresses = Set(value) },
                "multicast.AddressesOverride" => config with { AddressesOverride = Set(value) },
                "multicast.TTLOverride" => config with { TtlOverride = Int(value, key, source) },
                "lab.KnownPeers" => value.StartsWith('{') ? config with { KnownPeers = Set(value) } : config,
                "lab.SessionID" => config with { SessionId = value },
                "tuning.UseProtocolVersion" => config with { UseProtocolVersion = Math.Min(110, Int(value, key, source)) },
                "tuning.MulticastMinRTT" => config with { MulticastMinRtt = Double(value, key, source) },
                "tuning.MulticastMaxRTT" => config with { MulticastMaxRtt = Double(value, key, source) },
                "tuning.UnicastMinRTT" => config with { UnicastMinRtt = Double(value, key, source) },
                "tuning.UnicastMaxRTT" => config with { UnicastMaxRtt = Double(value, key, source) },
                "tuning.ContinuousResolveInterval" => config with { ContinuousResolveInterval = Double(value, key, source) },
                "tuning.TimeUpdateInterval" => config with { TimeUpdateInterval = Double(value, key, source) },
                "tuning.TimeUpdateMinProbes" => config with { TimeUpdateMinProbes = Int(value, key, source) },
                "tuning.TimeProbeCount" => config with { TimeProbeCount = Int(value, key, source) },
                "tuning.TimeProbeInterval" => config with { TimeProbeInterval = Double(value, key, source) },
                "tuning.TimeProbeMaxRTT" => config with { TimeProbeMaxRtt = Double(value, key, source) },
                "tuning.WatchdogCheckInterval" => config with { WatchdogCheckInterval = Double(value, key, source) },
                "tuning.WatchdogTimeThreshold" => config with { WatchdogTimeThreshold = Double(value, key, source) },
                _ => config,
            };
        }

        return config;
    }

    /// <summary>The IPv4 discovery targets for the scope (or the override), in order, without duplicates.</summary>
    public IReadOnlyList<string> QueryAddresses()
    {
        var list = new List<string>();
        if (AddressesOverride.Count > 0)
        {
            list.AddRange(AddressesOverride);
        }
        else
        {
            int level = ScopeLevel();
            list.AddRange(MachineAddresses);
            if (level >= 1)
            {
                list.AddRange(LinkAddresses);
            }

            if (level >= 2)
            {
                list.AddRange(SiteAddresses);
            }

            if (level >= 3)
            {
                list.AddRange(OrganizationAddresses);
            }

            if (level >= 4)
            {
                list.AddRange(GlobalAddresses);
            }
        }

        var result = new List<string>();
        foreach (string address in list)
        {
            if (System.Net.IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !result.Contains(address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    /// <summary>Multicast hops for the scope: machine 0, link 1, site 24, organization 32, global 255 (or the override).</summary>
    public int MulticastTtl()
    {
        if (TtlOverride >= 0)
        {
            return TtlOverride;
        }

        return ScopeLevel() switch
        {
            0 => 0,
            1 => 1,
            2 => 24,
            3 => 32,
            _ => 255,
        };
    }

    private int ScopeLevel() => ResolveScope switch
    {
        "machine" => 0,
        "link" => 1,
        "site" => 2,
        "organization" => 3,
        "global" => 4,
        _ => 2,
    };

    private static string[] Set(string value)
    {
        string inner = value.Trim();
        if (inner.StartsWith('{') && inner.EndsWith('}'))
        {
            inner = inner[1..^1];
        }

        return inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static int Int(string value, string key, string source)
        => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : throw new FormatException($"{source}: {key} = '{value}' is not an integer");

    private static double Double(string value, string key, string source)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"{source}: {key} = '{value}' is not a number");
}
