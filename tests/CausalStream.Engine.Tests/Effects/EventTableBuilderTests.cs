using CausalStream.Engine.Effects;

namespace CausalStream.Engine.Tests.Effects;

/// <summary>Event rows from known signals: covariates, outcomes, waiting rows and withheld rows.</summary>
public sealed class EventTableBuilderTests
{
    private const double Rate = 100;

    // ch1 = 2 + 0.01·n (a ramp), ch2 = 3·sin(2π·10·n/100) (10 Hz, on a bin of a 20-sample window).
    private static SampleHistory Signals(int samples, int capacity = 1000, int nanAt = -1)
    {
        var history = new SampleHistory(capacity, 2);
        var values = new double[samples * 2];
        var times = new double[samples];
        for (int n = 0; n < samples; n++)
        {
            values[2 * n] = n == nanAt ? double.NaN : 2 + (0.01 * n);
            values[(2 * n) + 1] = 3 * Math.Sin(2 * Math.PI * 10 * n / Rate);
            times[n] = n / Rate;
        }

        history.Append(values, times, samples);
        return history;
    }

    private static EventTableOptions Options(EventOutcome outcome = EventOutcome.MeanAmplitude) => new()
    {
        PreWindowSeconds = 0.2,
        Bands = [new FrequencyBand { LowHz = 8, HighHz = 12 }],
        OutcomeChannel = 0,
        OutcomeStartSeconds = 0.01,
        OutcomeEndSeconds = 0.05,
        Outcome = outcome,
        OutcomeBand = new FrequencyBand { LowHz = 8, HighHz = 12 },
    };

    [Fact]
    public void CovariatesAndOutcomeMatchClosedForms()
    {
        var builder = new EventTableBuilder(2, Rate, Options());
        Assert.Equal(["ch1_mean", "ch1_var", "ch1_last", "ch1_bp_8_12", "ch2_mean", "ch2_var", "ch2_last", "ch2_bp_8_12"], builder.CovariateNames);
        var history = Signals(200);
        var row = builder.TryBuild(history, 0.5, 1, 0.4, "rule");
        Assert.NotNull(row);
        Assert.Null(row.WithheldReason);
        double[] x = row.Covariates;

        // Event sample n = 50; pre window n = 31..50 (20 samples).
        Assert.Equal(2 + (0.01 * 40.5), x[0], 12);
        Assert.Equal(0.0001 * ((20 * 20) - 1) / 12.0, x[1], 12); // variance of 20 equally spaced points, ddof 0
        Assert.Equal(2.5, x[2], 12);
        Assert.Equal(3 * Math.Sin(2 * Math.PI * 10 * 50 / Rate), x[6], 12);
        Assert.Equal(0, x[4], 12);
        Assert.Equal(4.5, x[5], 10); // A²/2
        Assert.Equal(4.5, x[7], 10); // all of the sinusoid's power is in 8-12 Hz

        // Outcome: offsets 1..4 after n = 50 → n = 51..54 on ch1.
        Assert.Equal(2 + (0.01 * 52.5), row.Outcome, 12);
        Assert.Equal(0.4, row.Propensity);
        Assert.Equal(1, row.Treatment);
    }

    [Fact]
    public void BandPowerChangeIsPostMinusPre()
    {
        var builder = new EventTableBuilder(2, Rate, Options(EventOutcome.BandPowerChange) with { OutcomeChannel = 1, OutcomeStartSeconds = 0.01, OutcomeEndSeconds = 0.21 });
        var history = Signals(400);
        var row = builder.TryBuild(history, 1.0, 0, null, "sham")!;
        Assert.Null(row.WithheldReason);
        Assert.Equal(0, row.Outcome, 9); // a stationary sinusoid: same band power before and after
    }

    [Fact]
    public void AnEventWaitsForItsOutcomeWindowAndIsWithheldAtTheEnd()
    {
        var builder = new EventTableBuilder(2, Rate, Options());
        var history = Signals(53);
        Assert.Null(builder.TryBuild(history, 0.5, 1, 0.5, "rule")); // needs sample 54
        var atEnd = builder.PastEndOfData(history, 0.5, 1, 0.5, "rule");
        Assert.Contains("outcome window runs past the end of the data", atEnd.WithheldReason);
        Assert.Contains("0.54", atEnd.WithheldReason);
        Assert.True(double.IsNaN(atEnd.Outcome));

        var longer = Signals(55);
        Assert.NotNull(builder.TryBuild(longer, 0.5, 1, 0.5, "rule"));

        // An event stamped after the newest sample (a marker that arrived before its samples) waits too.
        Assert.Null(builder.TryBuild(Signals(60), 0.7, 1, null, "markers"));
        Assert.Equal(2 + (0.01 * 72.5), builder.TryBuild(Signals(80), 0.7, 1, null, "markers")!.Outcome, 12);
    }

    [Fact]
    public void MissingCovariatesWithholdTheRowWithAReason()
    {
        var builder = new EventTableBuilder(2, Rate, Options());

        var tooEarly = builder.TryBuild(Signals(200), 0.1, 1, 0.5, "rule")!;
        Assert.StartsWith("missing covariates: the pre-event window needs 20 samples", tooEarly.WithheldReason);

        var gap = builder.TryBuild(Signals(200, nanAt: 45), 0.5, 1, 0.5, "rule")!;
        Assert.Equal("missing covariates: a non-finite sample of channel 1 in the pre-event window", gap.WithheldReason);

        var overwritten = builder.TryBuild(Signals(400, capacity: 100), 0.5, 1, 0.5, "rule")!;
        Assert.StartsWith("missing covariates: the event at 0.5 s precedes the buffered samples", overwritten.WithheldReason);

        var withEdges = new EventTableBuilder(2, Rate, Options(), extraCovariates: ["w_ch1_ch2"]);
        var noGraph = withEdges.TryBuild(Signals(200), 0.5, 1, 0.5, "rule", default, "no causal graph has arrived yet")!;
        Assert.Equal("missing covariates: no causal graph has arrived yet", noGraph.WithheldReason);
        var withGraph = withEdges.TryBuild(Signals(200), 0.5, 1, 0.5, "rule", [0.25])!;
        Assert.Equal(0.25, withGraph.Covariates[^1]);
    }

    [Fact]
    public void TheTableLeavesOutWithheldRowsAndCutsTimeBlockFolds()
    {
        var builder = new EventTableBuilder(2, Rate, Options());
        var history = Signals(1000);
        var rows = new List<EventRow>();
        for (int i = 0; i < 10; i++)
        {
            rows.Add(builder.TryBuild(history, 0.5 + (0.5 * i), i % 2, 0.5, "rule")!);
        }

        rows.Insert(3, builder.PastEndOfData(history, 20, 1, 0.5, "rule"));
        var table = builder.ToEffectTable(rows, 5);
        Assert.Equal(10, table.Rows);
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], table.Column("fold")!);
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], table.Column("d")!);
        var data = EffectData.FromTable(table, "d", "y", builder.CovariateNames, "propensity", "fold");
        Assert.Null(data.Unusable);
        Assert.Equal(5, data.FoldCount);
    }

    [Fact]
    public void SettingsTheStreamCannotSatisfyAreRefusedNamingThem()
    {
        Assert.Contains("preWindowSeconds", Assert.Throws<ArgumentException>(() => new EventTableBuilder(2, Rate, new EventTableOptions { PreWindowSeconds = 0.001 })).Message);
        Assert.Contains("latency range", Assert.Throws<ArgumentException>(() => new EventTableBuilder(2, Rate, new EventTableOptions { OutcomeStartSeconds = 0.05, OutcomeEndSeconds = 0.05 })).Message);
        Assert.Contains("outcomeChannel 5", Assert.Throws<ArgumentException>(() => new EventTableBuilder(2, Rate, new EventTableOptions { OutcomeChannel = 5 })).Message);
        Assert.Contains("Nyquist", Assert.Throws<ArgumentException>(() => new EventTableBuilder(2, Rate, new EventTableOptions { Bands = [new FrequencyBand { LowHz = 40, HighHz = 60 }] })).Message);
    }
}
