using System.Diagnostics;
using System.Globalization;
using CausalStream.Engine.Effects;

namespace CausalStream.Coverage;

/// <summary>
/// Coverage study of the effect estimators (<see cref="CoverageStudy"/>): for each simulated design, the share of runs
/// whose 95% intervals (AIPW, cross-fitted AIPW, DML, logged-propensity IPW) cover the true average effect, and the
/// share in which the confidence sequence (and, for contrast, the fixed interval) ever excluded it under continuous
/// monitoring. Prints a Markdown table, as recorded in docs/validation.md.
/// </summary>
/// <remarks>Usage: <c>[--runs 200] [--events 400] [--seed 1] [--monitor-from 10]</c>.</remarks>
public static class Program
{
    /// <summary>Entry point; 0 on success, 2 on a usage error.</summary>
    public static int Main(string[] args)
    {
        int runs = 200, events = 400, seed = 1, monitorFrom = 10;
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 1)
            {
                Console.Error.WriteLine($"option {args[i]} needs a positive whole number; usage: [--runs 200] [--events 400] [--seed 1] [--monitor-from 10]");
                return 2;
            }

            switch (args[i])
            {
                case "--runs": runs = value; break;
                case "--events": events = Math.Max(20, value); break;
                case "--seed": seed = value; break;
                case "--monitor-from": monitorFrom = value; break;
                default:
                    Console.Error.WriteLine($"unknown option '{args[i]}'; usage: [--runs 200] [--events 400] [--seed 1] [--monitor-from 10]");
                    return 2;
            }
        }

        Console.WriteLine($"coverage study: {runs} runs × {events} events per design, seed {seed}, sequences watched from event {monitorFrom}");
        Console.WriteLine();
        Console.WriteLine("| design | ATE | AIPW | AIPW cross-fit | DML | IPW (logged e) | AIPW bias | DML bias | CS ever excludes ATE | fixed CI ever excludes ATE | withheld |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var watch = Stopwatch.StartNew();
        foreach (var scenario in Enum.GetValues<CoverageScenario>())
        {
            var r = CoverageStudy.Run(scenario, runs, events, seed, monitorFrom);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenario} | {r.TrueEffect:G3} | {r.AipwCoverage:P1} | {r.AipwCrossFitCoverage:P1} | {r.DmlCoverage:P1} | {r.IpwLoggedCoverage:P1} | {Math.Round(r.AipwBias, 3) + 0.0:+0.000;-0.000;0.000} | {Math.Round(r.DmlBias, 3) + 0.0:+0.000;-0.000;0.000} | {r.SequenceEverExcluded:P1} | {r.FixedIntervalEverExcluded:P1} | {r.Withheld} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"binomial standard error of a 95% share over {runs} runs: {Math.Sqrt(0.95 * 0.05 / runs):P2}; elapsed {watch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
