using CausalStream.Cli.Commands;
using CausalStream.Cli.Configuration;

namespace CausalStream.Cli;

/// <summary>The <c>causalstream</c> command: dispatches to its sub-commands and maps failures to exit codes.</summary>
public static class Program
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    private const string Commands = "run, analyze, replay, inspect, effects, lsl, simulate, aggregate, help";

    internal const string Usage = """
        causalstream: live time-lagged causal graphs and stimulation effects from neural streams

        Usage:
          causalstream run [--config FILE] [--duration SECONDS] [--set KEY=VALUE ...]
          causalstream analyze FILE --method granger [--max-lag P|auto] [--alpha A] [--window S --hop S] [--out FILE]
          causalstream replay FILE [--speed 1|10|max] [--from S] [--to S] [--config FILE] [--out FILE.jsonl] [--record FILE.xdf]
          causalstream inspect FILE [--json]
          causalstream lsl list [--timeout S] [--json] [--lsl-config FILE]
          causalstream lsl dump QUERY [--count N] [--out FILE.csv] [--timeout S] [--lsl-config FILE]
          causalstream simulate --lsl NAME [--channels N] [--rate HZ] [--seed N] [--duration S] [--lsl-config FILE]
          causalstream simulate --kafka TOPIC [--bootstrap HOST:PORT] [--stream NAME] [--channels N] [--rate HZ] [--duration S]
          causalstream aggregate --in TOPIC --out TOPIC --shards N [--bootstrap HOST:PORT] [--group ID] [--duration S]
          causalstream effects FILE --treatment COL --outcome COL --covariates A,B,... [--estimator diff|ipw|match|aipw|dml|all] [--propensity COL] [--folds COL|K]
          causalstream help [COMMAND]
          causalstream --version

        Commands:
          run       run a pipeline (default: config/default.json, the built-in simulator)
          analyze   causal graph of a CSV recording, written as JSON Lines
          replay    run an XDF, EDF+/BDF or CSV recording through the pipeline
          inspect   list the streams, channels, rates and markers a recording holds
          lsl       list LSL streams, or dump one as CSV (docs/lsl.md)
          simulate  publish the built-in simulator as an LSL stream or into a Kafka topic
          aggregate merge the partial graphs of sharded Kafka workers into one graph per window (docs/kafka.md)
          effects   treatment-effect estimates (IPW, AIPW, DML, matching) from a CSV event table, as JSON

        'causalstream COMMAND --help' describes one command.
        """;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitUsage;
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync("configuration error: " + ex.Message).ConfigureAwait(false);
            return ExitUsage;
        }
    }

    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h")
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return args.Length == 0 ? ExitUsage : ExitOk;
        }

        if (args[0] == "--version")
        {
            await output.WriteLineAsync(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "unknown").ConfigureAwait(false);
            return ExitOk;
        }

        string command = args[0];
        string[] rest = args[1..];
        if (command == "help")
        {
            await output.WriteLineAsync(rest.Length > 0 ? HelpFor(rest[0]) : Usage).ConfigureAwait(false);
            return ExitOk;
        }

        if (Array.IndexOf(rest, "--help") >= 0 || Array.IndexOf(rest, "-h") >= 0)
        {
            await output.WriteLineAsync(HelpFor(command)).ConfigureAwait(false);
            return ExitOk;
        }

        return command switch
        {
            "run" => await RunCommand.ExecuteAsync(rest, output, errors).ConfigureAwait(false),
            "analyze" => await AnalyzeCommand.ExecuteAsync(rest, output, errors).ConfigureAwait(false),
            "replay" => await ReplayCommand.ExecuteAsync(rest, output, errors, ReferenceEquals(output, Console.Out) ? ReplayProgressBar.ForStandardOutput() : null).ConfigureAwait(false),
            "inspect" => await InspectCommand.ExecuteAsync(rest, output, errors).ConfigureAwait(false),
            "effects" => await EffectsCommand.ExecuteAsync(rest, output, errors).ConfigureAwait(false),
            "lsl" => await LslCommand.ExecuteAsync(rest, output, errors).ConfigureAwait(false),
            "simulate" => await SimulateCommand.ExecuteAsync(rest, output, errors).ConfigureAwait(false),
            "aggregate" => await AggregateCommand.ExecuteAsync(rest, output, errors).ConfigureAwait(false),
            _ => throw new UsageException($"unknown command '{command}'; commands: {Commands}"),
        };
    }

    private static string HelpFor(string command) => command switch
    {
        "run" => RunCommand.Help,
        "analyze" => AnalyzeCommand.Help,
        "replay" => ReplayCommand.Help,
        "inspect" => InspectCommand.Help,
        "effects" => EffectsCommand.Help,
        "lsl" => LslCommand.Help,
        "simulate" => SimulateCommand.Help,
        "aggregate" => AggregateCommand.Help,
        _ => throw new UsageException($"unknown command '{command}'; commands: {Commands}"),
    };
}
