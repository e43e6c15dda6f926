using System.Globalization;
using CausalStream.Cli.Configuration;
using CausalStream.Cli.Logging;
using CausalStream.Core.Formats;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Sinks;
using CausalStream.Core.Streams;
using CausalStream.Engine.Discovery;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream analyze FILE --method granger</c>: replays a CSV recording losslessly through the Granger
/// stage and writes every graph (every tested edge) as JSON Lines, one per window or one for the whole file.
/// <c>--method pcmci|pc|fci</c> runs time-lagged (PCMCI) or i.i.d. (PC-stable, FCI) causal discovery on the whole file.
/// </summary>
public static class AnalyzeCommand
{
    public const string Help = """
        causalstream analyze FILE --method granger [--max-lag P|auto] [--alpha A] [--window SECONDS [--hop SECONDS]] [--out FILE]
        causalstream analyze FILE --method pcmci [--tau-max T] [--pc-alpha A|auto] [--alpha A] [--correction fdr|none] [--out FILE]
        causalstream analyze FILE --method pc|fci [--alpha A] [--out FILE]

        Estimates the time-lagged causal graph of a CSV recording (header 't,<channel names>', one row per
        sample, t in seconds) and writes JSON Lines (docs/formats.md): one graph per window, or one for the
        whole file when no window is given. Every tested edge is written, significant or not.
          --method granger        conditional Granger causality on a VAR(p) with intercept
          --method pcmci          PCMCI with partial-correlation tests (tigramite's run_pcmci), whole file; one
                                  edge per tested link (source, target, lag) with its MCI value and p-value
          --method pc             PC-stable with Fisher-z tests (causal-learn's pc), rows treated as i.i.d.;
                                  one edge per adjacency of the CPDAG with its marks
          --method fci            FCI with Fisher-z tests (causal-learn's fci, rules R0-R10): a PAG, which
                                  allows latent confounders (<->) and undetermined marks (o)
          --tau-max T             pcmci: largest lag (default 3)
          --pc-alpha A|auto       pcmci: level of the PC1 stage (default 0.05; auto picks it by AIC per channel)
          --max-lag P|auto        model order; auto picks it by --criterion over 1..--max-lag-limit (default 5)
          --max-lag-limit N       largest order tried by auto (default 10)
          --criterion C           aic, bic (default), hqic or fpe
          --alpha A               significance level of the adjusted p-values (default 0.05)
          --correction C          fdr (Benjamini-Hochberg, default), bonferroni or none; pcmci: fdr or none
                                  (default none, as tigramite)
          --f-test T              system (statsmodels' test_causality, default) or single (single-equation F)
          --window SECONDS        window length; omit for one graph over the whole file
          --hop SECONDS           time between windows (default: the window length)
          --out FILE              output file; default: standard output
        Damaged rows are skipped or read as NaN with a warning naming the line; rows touching NaN are left
        out of the regression and counted in rowsSkipped.
        """;

    private static readonly string[] Options = ["--method", "--max-lag", "--max-lag-limit", "--criterion", "--alpha", "--correction", "--f-test", "--window", "--hop", "--out", "--tau-max", "--pc-alpha"];

    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var reader = new ArgumentReader("analyze", args, Options);
        if (reader.Positionals.Count != 1)
        {
            throw new UsageException("analyze: give exactly one CSV file");
        }

        string file = reader.Positionals[0];
        string method = reader.String("--method") ?? throw new UsageException("analyze: --method is required (granger, pcmci, pc or fci)");
        if (method is "pcmci" or "pc" or "fci")
        {
            return await DiscoverAsync(reader, file, method, errors).ConfigureAwait(false);
        }

        if (method != "granger")
        {
            throw new UsageException($"analyze: unknown method '{method}'; available: granger, pcmci, pc, fci");
        }

        if (reader.String("--tau-max") is not null || reader.String("--pc-alpha") is not null)
        {
            throw new UsageException("analyze: --tau-max and --pc-alpha apply to --method pcmci");
        }

        var maxLag = new MaxLagSetting(5);
        if (reader.String("--max-lag") is { } lagText && (!MaxLagSetting.TryParse(lagText, out maxLag) || maxLag.Lags < 1))
        {
            throw new UsageException($"analyze: --max-lag needs a positive whole number or 'auto', got '{lagText}'");
        }

        int lagLimit = 10;
        if (reader.String("--max-lag-limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out lagLimit) || lagLimit < 1))
        {
            throw new UsageException($"analyze: --max-lag-limit needs a positive whole number, got '{limitText}'");
        }

        double alpha = reader.PositiveDouble("analyze", "--alpha") ?? 0.05;
        if (alpha >= 1)
        {
            throw new UsageException($"analyze: --alpha must be below 1, got {alpha.ToString(CultureInfo.InvariantCulture)}");
        }

        var criterion = reader.String("--criterion") switch
        {
            null or "bic" => OrderCriterion.Bic,
            "aic" => OrderCriterion.Aic,
            "hqic" => OrderCriterion.Hqic,
            "fpe" => OrderCriterion.Fpe,
            var other => throw new UsageException($"analyze: unknown --criterion '{other}'; use aic, bic, hqic or fpe"),
        };
        var correction = reader.String("--correction") switch
        {
            null or "fdr" => MultipleTestCorrection.BenjaminiHochberg,
            "bonferroni" => MultipleTestCorrection.Bonferroni,
            "none" => MultipleTestCorrection.None,
            var other => throw new UsageException($"analyze: unknown --correction '{other}'; use fdr, bonferroni or none"),
        };
        var denominator = reader.String("--f-test") switch
        {
            null or "system" => FTestDenominator.SystemWide,
            "single" => FTestDenominator.SingleEquation,
            var other => throw new UsageException($"analyze: unknown --f-test '{other}'; use system or single"),
        };
        double? window = reader.PositiveDouble("analyze", "--window");
        double? hop = reader.PositiveDouble("analyze", "--hop");
        if (hop is not null && window is null)
        {
            throw new UsageException("analyze: --hop needs --window");
        }

        if (hop > window)
        {
            throw new UsageException("analyze: --hop must not exceed --window");
        }

        CsvSamples samples;
        try
        {
            samples = CsvSampleReader.Read(file);
        }
        catch (DataFormatException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }

        string name = Path.GetFileNameWithoutExtension(file);
        var source = new CsvReplaySource(samples, name);
        double rate = source.Stream.NominalRate;
        int windowSamples = samples.Rows;
        int hopSamples = samples.Rows;
        if (window is double w)
        {
            if (rate <= 0)
            {
                throw new UsageException($"analyze: {file}: cannot window a file whose sample rate cannot be estimated");
            }

            windowSamples = (int)Math.Round(w * rate);
            hopSamples = Math.Max(1, (int)Math.Round((hop ?? w) * rate));
        }

        int lagForCheck = maxLag.Lags ?? lagLimit;
        int minimum = GrangerStageOptions.MinimumWindowSamples(samples.ChannelCount, lagForCheck);
        if (windowSamples < minimum)
        {
            await errors.WriteLineAsync($"error: {file}: {(window is null ? "the file" : "a window")} holds {windowSamples} samples, but a VAR({lagForCheck}) on {samples.ChannelCount} channels needs at least {minimum}").ConfigureAwait(false);
            return Program.ExitFailure;
        }

        var options = new GrangerStageOptions
        {
            WindowSamples = windowSamples,
            HopSamples = hopSamples,
            MaxLag = maxLag.Lags,
            MaxLagLimit = lagLimit,
            Criterion = criterion,
            SkipWhenBusy = false,
            Test = new GrangerOptions { Alpha = alpha, Correction = correction, Denominator = denominator },
        };

        var log = new PipelineEventLog(new TextWriterEventSink(errors), burst: 20);
        var stage = new GrangerStage(source.Stream, options, log);
        string? outPath = reader.String("--out");
        JsonLinesSink sink;
        Stream? stdout = null;
        if (outPath is null)
        {
            await output.FlushAsync().ConfigureAwait(false);
            stdout = Console.OpenStandardOutput();
            sink = new JsonLinesSink(stdout, "stdout");
        }
        else
        {
            sink = new JsonLinesSink(outPath);
        }

        var pipeline = new StreamPipeline([source], [stage], [new SinkBinding(sink, 64, EdgePolicy.Wait)], new PipelineOptions(256, EdgePolicy.Wait, 0), log);
        await pipeline.RunAsync(CancellationToken.None).ConfigureAwait(false);
        stdout?.Flush();
        if (outPath is not null)
        {
            await errors.WriteLineAsync($"{stage.GraphsPublished} graph(s) of {samples.ChannelCount} channels at order {stage.Lag} written to {outPath}").ConfigureAwait(false);
        }

        return Program.ExitOk;
    }
    private static async Task<int> DiscoverAsync(ArgumentReader reader, string file, string method, TextWriter errors)
    {
        if (reader.String("--window") is not null || reader.String("--hop") is not null || reader.String("--max-lag") is not null)
        {
            throw new UsageException($"analyze: --method {method} runs on the whole file; --window, --hop and --max-lag do not apply");
        }

        double alpha = reader.PositiveDouble("analyze", "--alpha") ?? (method == "pcmci" ? 0.01 : 0.05);
        if (alpha >= 1)
        {
            throw new UsageException($"analyze: --alpha must be below 1, got {alpha.ToString(CultureInfo.InvariantCulture)}");
        }

        int tauMax = 3;
        if (reader.String("--tau-max") is { } tauText && (!int.TryParse(tauText, NumberStyles.Integer, CultureInfo.InvariantCulture, out tauMax) || tauMax < 1))
        {
            throw new UsageException($"analyze: --tau-max needs a positive whole number, got '{tauText}'");
        }

        double? pcAlpha = 0.05;
        if (reader.String("--pc-alpha") is { } pcText)
        {
            if (pcText == "auto")
            {
                pcAlpha = null;
            }
            else if (!double.TryParse(pcText, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) || parsed <= 0 || parsed >= 1)
            {
                throw new UsageException($"analyze: --pc-alpha needs a number in (0, 1) or 'auto', got '{pcText}'");
            }
            else
            {
                pcAlpha = parsed;
            }
        }

        bool fdr = reader.String("--correction") switch
        {
            null or "none" => false,
            "fdr" => method == "pcmci" ? true : throw new UsageException("analyze: --correction applies to pcmci only"),
            var other => throw new UsageException($"analyze: --method {method} takes --correction fdr or none, got '{other}'"),
        };

        CsvSamples samples;
        try
        {
            samples = CsvSampleReader.Read(file);
        }
        catch (DataFormatException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }

        foreach (double v in samples.Values)
        {
            if (!double.IsFinite(v))
            {
                await errors.WriteLineAsync($"error: {file}: --method {method} needs complete data, but the file has missing or non-finite values").ConfigureAwait(false);
                return Program.ExitFailure;
            }
        }

        string name = Path.GetFileNameWithoutExtension(file);
        double start = samples.Rows > 0 ? samples.Timestamps[0] : 0;
        double end = samples.Rows > 0 ? samples.Timestamps[^1] : 0;
        CausalGraph graph;
        if (method == "pcmci")
        {
            int needed = (2 * tauMax) + (samples.ChannelCount * tauMax * 2) + 3;
            if (samples.Rows < needed)
            {
                await errors.WriteLineAsync($"error: {file}: {samples.Rows} samples are too few for PCMCI with tau-max {tauMax} on {samples.ChannelCount} channels (at least {needed})").ConfigureAwait(false);
                return Program.ExitFailure;
            }

            var options = new PcmciOptions { TauMin = 0, TauMax = tauMax, PcAlpha = pcAlpha, AlphaLevel = alpha, FdrBh = fdr };
            var result = new Pcmci(samples.Values, samples.ChannelCount, tauMax).Run(options);
            graph = DiscoveryGraphBuilder.FromPcmci(result, options, name, samples.Channels, start, end, samples.Rows);
        }
        else
        {
            if (samples.Rows < samples.ChannelCount + 4)
            {
                await errors.WriteLineAsync($"error: {file}: {samples.Rows} rows are too few for {method} on {samples.ChannelCount} variables").ConfigureAwait(false);
                return Program.ExitFailure;
            }

            var result = method == "fci" ? Fci.Run(samples.Values, samples.ChannelCount, alpha) : PcStable.Run(samples.Values, samples.ChannelCount, alpha);
            graph = DiscoveryGraphBuilder.FromEndpointGraph(result.Graph, method, alpha, name, samples.Channels, start, end, samples.Rows);
        }

        string? outPath = reader.String("--out");
        Stream? stdout = outPath is null ? Console.OpenStandardOutput() : null;
        using (var sink = stdout is null ? new JsonLinesSink(outPath!) : new JsonLinesSink(stdout, "stdout"))
        {
            await sink.ConsumeAsync(graph, CancellationToken.None).ConfigureAwait(false);
            await sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        stdout?.Flush();
        if (outPath is not null)
        {
            await errors.WriteLineAsync($"{method} graph of {samples.ChannelCount} channels ({graph.Edges.Count} edges) written to {outPath}").ConfigureAwait(false);
        }

        return Program.ExitOk;
    }
}
