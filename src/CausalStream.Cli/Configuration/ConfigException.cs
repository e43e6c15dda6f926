namespace CausalStream.Cli.Configuration;

/// <summary>A configuration that cannot be used: names the file, the key and the reason.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string source, string key, string reason)
        : base($"{source}: {key}: {reason}")
    {
        Source = source;
        Key = key;
        Reason = reason;
    }

    /// <summary>The configuration file (or "embedded default").</summary>
    public new string Source { get; }

    /// <summary>Dotted path of the offending key, e.g. <c>window.hop</c>.</summary>
    public string Key { get; }

    public string Reason { get; }
}
