using CausalStream.Cli.Configuration;
using Serilog;
using Serilog.Events;

namespace CausalStream.Cli.Logging;

/// <summary>Builds the Serilog logger from <see cref="LoggingConfig"/>: console (standard error) and a daily rolling file.</summary>
public static class LogSetup
{
    public static Serilog.Core.Logger Create(LoggingConfig config)
    {
        var consoleLevel = Enum.Parse<LogEventLevel>(config.Level);
        var fileLevel = Enum.Parse<LogEventLevel>(config.FileLevel);
        var minimum = (LogEventLevel)Math.Min((int)consoleLevel, string.IsNullOrEmpty(config.File) ? (int)consoleLevel : (int)fileLevel);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .WriteTo.Console(restrictedToMinimumLevel: consoleLevel, standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(config.File))
        {
            logger = logger.WriteTo.File(config.File, restrictedToMinimumLevel: fileLevel, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        return logger.CreateLogger();
    }
}
