using System.Globalization;
using System.Text;
using System.Text.Json;
using CausalStream.Core.Formats;
using CausalStream.Core.Streams;
using CausalStream.Engine.Effects;

namespace CausalStream.Cli.Commands;

/// <summary>
/// <c>causalstream effects FILE --treatment COL --outcome COL --covariates A,B,...</c>: treatment-effect estimates
/// (difference in means, IPW, matching, AIPW, DML) over a CSV event table, printed as one JSON document.
/// </summary>
public static class EffectsCommand
{
    public const string Help = """
        causalstream effects FILE --treatment COL --outcome COL --covariates COL,COL,... [--estimator diff|ipw|match|aipw|dml|all]
                             [--propensity COL] [--folds COL|K] [--fold-seed N] [--clip C] [--ridge ALPHA] [--caliper SD] [--without-replacement]

        Estimates the effect of a 0/1 treatment on an outcome from a CSV event table (a header of column names,
        one row per event) and prints JSON (docs/effects.md): each estimate with its standard error, 95% interval,
        sample sizes and diagnostics. An estimate the data cannot support is printed as withheld with a reason.
          --estimator E        diff, ipw (Hajek), match (1:1 nearest neighbour on the propensity logit, ATT),
                               aipw (doubly robust; plus a cross-fitted variant when folds exist), dml
                               (partially linear model, cross-fitted), or all (default)
          --propensity COL     logged P(treated) per event; used instead of the fitted logistic model
          --folds COL|K        a fold column, or a fold count K assigned by a seeded shuffle (default 5)
          --fold-seed N        seed of that shuffle (default 0)
          --clip C             clip propensities to [C, 1-C] (default 0.01; 0 = off)
          --ridge ALPHA        ridge penalty of the DML nuisance regressions (default 0 = OLS)
          --caliper SD         matching caliper in SDs of the logit (default 0.2)
          --without-replacement  greedy matching without replacement
        Rows missing any used value are left out and counted (rows_dropped_missing).
        """;

    private static readonly string[] Options = ["--treatment", "--outcome", "--covariates", "--estimator", "--propensity", "--folds", "--fold-seed", "--clip", "--ridge", "--caliper"];

    private static readonly string[] Flags = ["--without-replacement"];

    public static async Task<int> ExecuteAsync(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var reader = new ArgumentReader("effects", args, Options, Flags);
        if (reader.Positionals.Count != 1)
        {
            throw new UsageException("effects: give exactly one CSV file");
        }

        string file = reader.Positionals[0];
        string treatment = reader.String("--treatment") ?? throw new UsageException("effects: --treatment is required");
        string outcome = reader.String("--outcome") ?? throw new UsageException("effects: --outcome is required");
        string covariateText = reader.String("--covariates") ?? throw new UsageException("effects: --covariates is required");
        var covariates = covariateText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (covariates.Length == 0)
        {
            throw new UsageException("effects: --covariates needs at least one column name");
        }

        string estimator = reader.String("--estimator") ?? "all";
        if (!EffectSuite.Names.Contains(estimator))
        {
            throw new UsageException($"effects: unknown --estimator '{estimator}'; use {string.Join(", ", EffectSuite.Names)}");
        }

        string? foldColumn = null;
        int foldCount = 5;
        if (reader.String("--folds") is { } foldText)
        {
            if (int.TryParse(foldText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k))
            {
                if (k < 2)
                {
                    throw new UsageException($"effects: --folds needs a column name or a whole number of at least 2, got '{foldText}'");
                }

                foldCount = k;
            }
            else
            {
                foldColumn = foldText;
            }
        }

        int seed = 0;
        if (reader.String("--fold-seed") is { } seedText && !int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
        {
            throw new UsageException($"effects: --fold-seed needs a whole number, got '{seedText}'");
        }

        double clip = NonNegative(reader, "--clip") ?? 0.01;
        if (clip >= 0.5)
        {
            throw new UsageException("effects: --clip must be below 0.5");
        }

        var options = new EffectEstimatorOptions
        {
            ClipLow = clip,
            RidgeAlpha = NonNegative(reader, "--ridge") ?? 0,
            CaliperSd = reader.PositiveDouble("effects", "--caliper") ?? 0.2,
            MatchWithReplacement = !reader.Flag("--without-replacement"),
        };

        EffectTable table;
        try
        {
            table = EffectTableReader.Read(file);
        }
        catch (DataFormatException ex)
        {
            await errors.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Program.ExitFailure;
        }

        var data = EffectData.FromTable(table, treatment, outcome, covariates, reader.String("--propensity"), foldColumn, foldCount, seed);
        var results = EffectSuite.Run(data, estimator, options);
        await output.WriteLineAsync(ToJson(file, data, results)).ConfigureAwait(false);
        foreach (var withheld in results.Where(r => r.IsWithheld))
        {
            await errors.WriteLineAsync($"warning: {withheld.Estimator} withheld: {withheld.WithheldReason}").ConfigureAwait(false);
        }

        return Program.ExitOk;
    }

    private static double? NonNegative(ArgumentReader reader, string name)
    {
        if (reader.String(name) is not { } text)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0)
        {
            throw new UsageException($"effects: option '{name}' needs a non-negative number, got '{text}'");
        }

        return value;
    }

    private static string ToJson(string file, EffectData data, IReadOnlyList<EffectEstimate> results)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteString("treatment", data.Treatment);
            json.WriteString("outcome", data.Outcome);
            json.WriteStartArray("covariates");
            foreach (var c in data.Covariates)
            {
                json.WriteStringValue(c);
            }

            json.WriteEndArray();
            json.WriteNumber("rows", data.N);
            json.WriteNumber("rows_dropped_missing", data.RowsDropped);
            json.WriteNumber("folds", data.FoldCount);
            json.WriteStartArray("estimates");
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("estimator", r.Estimator);
                json.WriteString("estimand", r.Estimand);
                Number(json, "estimate", r.Estimate);
                Number(json, "se", r.StandardError);
                json.WritePropertyName("ci");
                if (r.CiLow is double lo && r.CiHigh is double hi)
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(lo);
                    json.WriteNumberValue(hi);
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WriteNumber("n", r.N);
                json.WriteNumber("n_treated", r.NTreated);
                if (r.WithheldReason is not null)
                {
                    json.WriteString("withheld", r.WithheldReason);
                }

                json.WriteStartObject("diagnostics");
                foreach (var (key, value) in r.Diagnostics)
                {
                    Number(json, key, value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
