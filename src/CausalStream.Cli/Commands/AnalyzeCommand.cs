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
        causalstream analyze FILE --method pcmciplus [--tau-max T] [--pc-alpha A] [--correction fdr|none] [--out FILE]
        causalstream analyze FILE --method pc|fci [--alpha A] [--out FILE]
        causalstream analyze FILE --method te [--pairs A>B,...] [--estimator ksg|gaussian] [--history K] [--delay U]
                                              [--neighbours N] [--surrogates S] [--alpha A] [--correction fdr|none] [--out FILE]

        Estimates the time-lagged causal graph of a CSV recording (header 't,<channel names>', one row per
        sample, t in seconds) and writes JSON Lines (docs/formats.md): one graph per window, or one for the
        whole file when no window is given. Every tested edge is written, significant or not.
          --method granger        conditional Granger causality on a VAR(p) with intercept
          --method pcmci          PCMCI with partial-correlation tests (tigramite's run_pcmci), whole file; one
                                  edge per tested link (source, target, lag) with its MCI value and p-value
          --method pcmciplus      PCMCI+ (tigramite's run_pcmciplus, majority collider rule, conflicts marked
                                  x-x): lagged and contemporaneous links with orientations, whole file
          --method pc             PC-stable with Fisher-z tests (causal-learn's pc), rows treated as i.i.d.;
                                  one edge per adjacency of the CPDAG with its marks
          --method fci            FCI with Fisher-z tests (causal-learn's fci, rules R0-R10): a PAG, which
                                  allows latent confounders (<->) and undetermined marks (o)
          --method te             transfer entropy per chosen pair (nats): KSG (k nearest neighbours, max norm)
                                  with a block-shifted-source surrogate p-value, or the Gaussian closed form
                                  (half the Granger magnitude, F-test p-value)
          --pairs A>B,...         te: source>target pairs by channel name or index (default: every ordered pair)
          --estimator E           te: ksg (default) or gaussian
          --history K             te: target and source history lengths (default 1)
          --delay U               te: source delay in samples (default 1)
          --neighbours N          te: KSG neighbours (default 4)
          --surrogates S          te: KSG surrogates for the p-value (default 100)
          --tau-max T             pcmci, pcmciplus: largest lag (default 3)
          --pc-alpha A|auto       pcmci: level of the PC1 stage (default 0.05; auto picks it by AIC per channel);
                                  pcmciplus: the level of every stage (default 0.01, as tigramite; also --alpha)
          --max-lag P|auto        model order; auto picks it by --criterion over 1..--max-lag-limit (default 5)
          --max-lag-limit N       largest order tried by auto (default 10)
          --criterion C           aic, bic (default), hqic or fpe
          --alpha A               significance level of the adjusted p-values (default 0.05)
          --correction C          fdr (Benjamini-Hochberg, default), bonferroni or none; pcmci, pcmciplus: fdr
                                  or none (default none, as tigramite); te: fdr (default) or none
          --f-test T              system (statsmodels' test_causality, default) or single (single-equation F)
          --window SECONDS        window length; omit for one graph over the whole file
          --hop SECONDS           time between windows (default: the window length)
          --out FILE              output file; default: standard output
        Damaged rows are skipped or read as NaN with a warning naming the line; rows touching NaN are left
        out of the regression and counted in rowsSkipped.
        """;

    private static readonly string[] Options = ["--method", "--max-lag", "--max-lag-limit", "--criterion", "--alpha", "--correction", "--f-test", "--window", "--hop", "--out", "--tau-max", "--pc-alpha", "--pairs", "--estimator", "--history", "--delay", "--neighbours", "--surrogates"];

    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var reader = new ArgumentReader("analyze", args, Options);
        if (reader.Positionals.Count != 1)
        {
            throw new UsageException("analyze: give exactly one CSV file");
        }

        string file = reader.Positionals[0];
        string method = reader.String("--method") ?? throw new UsageException("analyze: --method is required (granger, pcmci, pc or fci)");
        if (method == "te")
        {
            return await TransferEntropyAsync(reader, file, errors).ConfigureAwait(false);
        }

        if (method is "pcmci" or "pcmciplus" or "pc" or "fci")
        {
            return await DiscoverAsync(reader, file, method, errors).ConfigureAwait(false);
        }

        if (method != "granger")
        {
            throw new UsageException($"analyze: unknown method '{method}'; available: granger, pcmci, pcmciplus, pc, fci, te");
        }

        if (reader.String("--tau-max") is not null || reader.String("--pc-alpha") is not null)
        {
            throw new UsageException("analyze: --tau-max and --pc-alpha apply to --method pcmci and pcmciplus");
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

        double alpha = reader.PositiveDouble("analyze", "--alpha") ?? (method is "pcmci" or "pcmciplus" ? 0.01 : 0.05);
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
            if (pcText == "auto" && method == "pcmciplus")
            {
                throw new UsageException("analyze: --method pcmciplus needs a fixed --pc-alpha (a number in (0, 1))");
            }
            else if (pcText == "auto")
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

        if (method == "pcmciplus" && reader.String("--pc-alpha") is not null && reader.String("--alpha") is not null)
        {
            throw new UsageException("analyze: --method pcmciplus has one level; give --pc-alpha or --alpha, not both");
        }

        bool fdr = reader.String("--correction") switch
        {
            null or "none" => false,
            "fdr" => method is "pcmci" or "pcmciplus" ? true : throw new UsageException("analyze: --correction applies to pcmci and pcmciplus only"),
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
        if (method == "pcmciplus")
        {
            double level = reader.String("--pc-alpha") is not null ? pcAlpha!.Value : alpha;
            int needed = (2 * tauMax) + (samples.ChannelCount * ((2 * tauMax) + 1)) + 3;
            if (samples.Rows < needed)
            {
                await errors.WriteLineAsync($"error: {file}: {samples.Rows} samples are too few for PCMCI+ with tau-max {tauMax} on {samples.ChannelCount} channels (at least {needed})").ConfigureAwait(false);
                return Program.ExitFailure;
            }

            var options = new PcmciPlusOptions { TauMin = 0, TauMax = tauMax, PcAlpha = level, FdrBh = fdr };
            var result = new PcmciPlus(samples.Values, samples.ChannelCount, tauMax).Run(options);
            if (result.DegenerateTests > 0)
            {
                await errors.WriteLineAsync($"warning: {file}: {result.DegenerateTests} test(s) had collinear conditions (a duplicated or constant channel?); they count as independent and the graph is flagged regularized").ConfigureAwait(false);
            }

            graph = DiscoveryGraphBuilder.FromPcmciPlus(result, options, name, samples.Channels, start, end, samples.Rows);
        }
        else if (method == "pcmci")
        {
            int needed = (2 * tauMax) + (samples.ChannelCount * tauMax * 2) + 3;
            if (samples.Rows < needed)
            {
                await errors.WriteLineAsync($"error: {file}: {samples.Rows} samples are too few for PCMCI with tau-max {tauMax} on {samples.ChannelCount} channels (at least {needed})").ConfigureAwait(false);
                return Program.ExitFailure;
            }

            var options = new PcmciOptions { TauMin = 0, TauMax = tauMax, PcAlpha = pcAlpha, AlphaLevel = alpha, FdrBh = fdr };
            var result = new Pcmci(samples.Values, samples.ChannelCount, tauMax).Run(options);
            if (result.DegenerateTests > 0)
            {
                await errors.WriteLineAsync($"warning: {file}: {result.DegenerateTests} test(s) had collinear conditions (a duplicated or constant channel?); they count as independent and the graph is flagged regularized").ConfigureAwait(false);
            }

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
        await WriteGraphAsync(graph, outPath).ConfigureAwait(false);
        if (outPath is not null)
        {
            await errors.WriteLineAsync($"{method} graph of {samples.ChannelCount} channels ({graph.Edges.Count} edges) written to {outPath}").ConfigureAwait(false);
        }

        return Program.ExitOk;
    }

    private static async Task<int> TransferEntropyAsync(ArgumentReader reader, string file, TextWriter errors)
    {
        if (reader.String("--window") is not null || reader.String("--hop") is not null || reader.String("--max-lag") is not null || reader.String("--tau-max") is not null || reader.String("--pc-alpha") is not null)
        {
            throw new UsageException("analyze: --method te runs on the whole file; use --history and --delay for the embedding");
        }

        string estimator = reader.String("--estimator") ?? "ksg";
        if (estimator is not ("ksg" or "gaussian"))
        {
            throw new UsageException($"analyze: unknown --estimator '{estimator}'; use ksg or gaussian");
        }

        double alpha = reader.PositiveDouble("analyze", "--alpha") ?? 0.05;
        if (alpha >= 1)
        {
            throw new UsageException($"analyze: --alpha must be below 1, got {alpha.ToString(CultureInfo.InvariantCulture)}");
        }

        bool fdr = reader.String("--correction") switch
        {
            null or "fdr" => true,
            "none" => false,
            var other => throw new UsageException($"analyze: --method te takes --correction fdr or none, got '{other}'"),
        };
        var options = new CausalStream.Engine.TransferEntropy.TransferEntropyOptions
        {
            TargetHistory = WholeNumber(reader, "--history", 1, 1),
            SourceHistory = WholeNumber(reader, "--history", 1, 1),
            Delay = WholeNumber(reader, "--delay", 1, 1),
            Neighbours = WholeNumber(reader, "--neighbours", 4, 1),
            Surrogates = WholeNumber(reader, "--surrogates", 100, 0),
            Alpha = alpha,
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

        var pairs = new List<(int Source, int Target)>();
        if (reader.String("--pairs") is { } pairText)
        {
            foreach (string item in pairText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string[] ends = item.Split('>');
                if (ends.Length != 2)
                {
                    throw new UsageException($"analyze: --pairs entry '{item}' is not SOURCE>TARGET");
                }

                pairs.Add((ChannelIndex(samples, ends[0], item), ChannelIndex(samples, ends[1], item)));
            }
        }
        else
        {
            for (int s = 0; s < samples.ChannelCount; s++)
            {
                for (int t = 0; t < samples.ChannelCount; t++)
                {
                    if (s != t)
                    {
                        pairs.Add((s, t));
                    }
                }
            }
        }

        var results = new List<CausalStream.Engine.TransferEntropy.TransferEntropyResult>(pairs.Count);
        try
        {
            foreach (var (source, target) in pairs)
            {
                results.Add(estimator == "ksg"
                    ? CausalStream.Engine.TransferEntropy.TransferEntropyEstimator.Ksg(samples.Values, samples.ChannelCount, source, target, options)
                    : CausalStream.Engine.TransferEntropy.TransferEntropyEstimator.Gaussian(samples.Values, samples.ChannelCount, source, target, options));
            }
        }
        catch (ArgumentException ex)
        {
            await errors.WriteLineAsync($"error: {file}: {ex.Message}").ConfigureAwait(false);
            return Program.ExitFailure;
        }

        string name = Path.GetFileNameWithoutExtension(file);
        double start = samples.Rows > 0 ? samples.Timestamps[0] : 0;
        double end = samples.Rows > 0 ? samples.Timestamps[^1] : 0;
        var graph = CausalStream.Engine.TransferEntropy.TransferEntropyGraphBuilder.Build(results, options, estimator, fdr, name, samples.Channels, start, end, samples.Rows);
        string? outPath = reader.String("--out");
        await WriteGraphAsync(graph, outPath).ConfigureAwait(false);
        if (outPath is not null)
        {
            await errors.WriteLineAsync($"transfer entropy ({estimator}) for {results.Count} pair(s) written to {outPath}").ConfigureAwait(false);
        }

        return Program.ExitOk;
    }

    /// <summary>Writes one graph as a JSON line to <paramref name="outPath"/>, or to standard output when it is null.</summary>
    private static async Task WriteGraphAsync(CausalGraph graph, string? outPath)
    {
        Stream? stdout = outPath is null ? Console.OpenStandardOutput() : null;
        using (var sink = stdout is null ? new JsonLinesSink(outPath!) : new JsonLinesSink(stdout, "stdout"))
        {
            await sink.ConsumeAsync(graph, CancellationToken.None).ConfigureAwait(false);
            await sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        stdout?.Flush();
    }

    private static int WholeNumber(ArgumentReader reader, string option, int fallback, int minimum)
    {
        if (reader.String(option) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < minimum)
        {
            throw new UsageException($"analyze: {option} needs a whole number of at least {minimum}, got '{text}'");
        }

        return value;
    }

    private static int ChannelIndex(CsvSamples samples, string text, string item)
    {
        for (int c = 0; c < samples.ChannelCount; c++)
        {
            if (samples.Channels[c] == text)
            {
                return c;
            }
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < samples.ChannelCount)
        {
            return index;
        }

        throw new UsageException($"analyze: --pairs entry '{item}': '{text}' is neither a channel name nor an index 0..{samples.ChannelCount - 1}");
    }
}
