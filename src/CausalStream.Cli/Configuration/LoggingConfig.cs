namespace CausalStream.Cli.Configuration;

/// <summary>Log levels for the console and the rolling log file.</summary>
public sealed record LoggingConfig
{
    /// <summary>Minimum level on the console: Verbose, Debug, Information, Warning, Error, Fatal.</summary>
    public string Level { get; init; } = "Information";

    /// <summary>Rolling log file path (a date is inserted before the extension); null or empty disables it.</summary>
    public string? File { get; init; } = "logs/causalstream-.log";

    /// <summary>Minimum level written to the file.</summary>
    public string FileLevel { get; init; } = "Debug";
}
