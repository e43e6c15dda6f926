using CausalStream.Lsl.Configuration;

namespace CausalStream.Lsl.Tests.Discovery;

public class LslApiConfigTests
{
    [Fact]
    public void DefaultsAreLiblsls()
    {
        var config = LslApiConfig.Default;
        Assert.Equal(16571, config.MulticastPort);
        Assert.Equal(16572, config.BasePort);
        Assert.Equal(32, config.PortRange);
        Assert.Equal(["127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183", "239.255.172.215"], config.QueryAddresses());
        Assert.Equal(24, config.MulticastTtl());
    }

    [Fact]
    public void LoopbackUsesOnly127001()
    {
        var config = LslApiConfig.Loopback;
        Assert.Equal(["127.0.0.1"], config.QueryAddresses());
        Assert.Equal(["127.0.0.1"], config.KnownPeers);
        Assert.Equal("127.0.0.1", config.ListenAddress);
        Assert.Equal(0, config.MulticastTtl());
    }

    [Fact]
    public void ParsesAnIniFileLikeLiblsl()
    {
        const string text = """
            ; comment
            [multicast]
            ResolveScope = link
            TTLOverride = 3
            [lab]
            KnownPeers = {10.0.0.5, labpc}
            SessionID = lab7
            [tuning]
            UseProtocolVersion = 100
            TimeProbeCount = 4
            [ports]
            AllowRandomPorts = yes
            """;
        var config = LslApiConfig.Parse(text, "test.cfg");
        Assert.Equal(["127.0.0.1", "255.255.255.255", "224.0.0.1", "224.0.0.183"], config.QueryAddresses());
        Assert.Equal(3, config.MulticastTtl());
        Assert.Equal(["10.0.0.5", "labpc"], config.KnownPeers);
        Assert.Equal("lab7", config.SessionId);
        Assert.Equal(100, config.UseProtocolVersion);
        Assert.Equal(4, config.TimeProbeCount);
        Assert.False(config.AllowRandomPorts);
    }

    [Fact]
    public void BareKnownPeersValueIsIgnoredAndDuplicatesAreErrors()
    {
        Assert.Empty(LslApiConfig.Parse("[lab]\nKnownPeers = 127.0.0.1\n", "t").KnownPeers);
        var ex = Assert.Throws<FormatException>(() => LslApiConfig.Parse("[lab]\nSessionID = a\nSessionID = b\n", "dup.cfg"));
        Assert.Contains("dup.cfg:3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LslapicfgEnvironmentVariableIsHonoured()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lsl_api_{Guid.NewGuid():N}.cfg");
        File.WriteAllText(path, "[lab]\nSessionID = fromenv\n");
        string? before = Environment.GetEnvironmentVariable("LSLAPICFG");
        try
        {
            Environment.SetEnvironmentVariable("LSLAPICFG", path);
            Assert.Equal(path, LslApiConfig.FindConfigFile());
            Assert.Equal("fromenv", LslApiConfig.Load().SessionId);
        }
        finally
        {
            Environment.SetEnvironmentVariable("LSLAPICFG", before);
            File.Delete(path);
        }
    }
}
