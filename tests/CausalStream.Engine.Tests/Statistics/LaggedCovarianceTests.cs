using CausalStream.Engine.Statistics;

namespace CausalStream.Engine.Tests.Statistics;

public sealed class LaggedCovarianceTests
{
    /// <summary>
    /// Property: after any sequence of pushes (random channels, lags, window sizes or forgetting factors, with NaN
    /// injection and streams long enough to pass the periodic rebuild), the Gram equals a from-scratch sum over the
    /// window's complete rows, and the row counts are exact.
    /// </summary>
    [Fact]
    public void GramMatchesFromScratchSumsAfterRandomPushes()
    {
        var rng = new Random(12345);
        for (int trial = 0; trial < 250; trial++)
        {
            int c = rng.Next(1, 5);
            int p = rng.Next(1, 5);
            bool forgetting = trial % 3 == 2;
            int window = c * p + 2 + rng.Next(0, 40);
            double lambda = 1.0 - 1.0 / (c * p + 3 + rng.Next(0, 60));
            var stats = forgetting ? LaggedCovariance.WithForgetting(c, p, lambda) : new LaggedCovariance(c, p, window);
            double nanRate = rng.Next(0, 3) switch { 0 => 0.0, 1 => 0.01, _ => 0.08 };
            int length = rng.Next(0, 3) == 0 ? rng.Next(0, window + p + 3) : rng.Next(0, 20 * window);
            var data = new double[length * c];
            var offsets = new double[c];
            for (int j = 0; j < c; j++)
            {
                offsets[j] = (rng.NextDouble() - 0.5) * 200.0;
            }
            int checkAt = rng.Next(0, length + 1);
            for (int s = 0; s < length; s++)
            {
                for (int j = 0; j < c; j++)
                {
                    double v = offsets[j] + rng.NextDouble() * 3.0 - 1.5;
                    if (s > 0)
                    {
                        v += 0.5 * (data[(s - 1) * c + j] - offsets[j]);
                    }
                    data[s * c + j] = v;
                }
                if (rng.NextDouble() < nanRate)
                {
                    data[s * c + rng.Next(0, c)] = rng.Next(0, 4) == 0 ? double.PositiveInfinity : double.NaN;
                }
                stats.Push(data.AsSpan(s * c, c));
                if (s + 1 == checkAt)
                {
                    AssertMatchesScratch(stats, data, s + 1, c, p, window, forgetting, lambda, $"trial {trial} (mid)");
                }
            }
            AssertMatchesScratch(stats, data, length, c, p, window, forgetting, lambda, $"trial {trial} c={c} p={p} window={window} forgetting={forgetting} length={length}");
        }
    }

    private static void AssertMatchesScratch(LaggedCovariance stats, double[] data, int pushed, int c, int p, int window, bool forgetting, double lambda, string context)
    {
        int dim = 1 + c * (p + 1);
        var expected = new double[dim * dim];
        var center = stats.Center.ToArray();
        int first = forgetting ? 0 : Math.Max(0, pushed - window);
        int used = 0;
        int skipped = 0;
        var v = new double[dim];
        for (int t = first; t < pushed; t++)
        {
            if (t < p)
            {
                continue;
            }
            bool ok = true;
            for (int s = t - p; s <= t && ok; s++)
            {
                for (int j = 0; j < c; j++)
                {
                    ok &= double.IsFinite(data[s * c + j]);
                }
            }
            if (!ok)
            {
                skipped++;
                continue;
            }
            used++;
            double w = forgetting ? Math.Pow(lambda, pushed - 1 - t) : 1.0;
            v[0] = 1.0;
            for (int a = 0; a <= p; a++)
            {
                for (int j = 0; j < c; j++)
                {
                    v[1 + a * c + j] = data[(t - a) * c + j] - center[j];
                }
            }
            for (int r = 0; r < dim; r++)
            {
                for (int s = 0; s < dim; s++)
                {
                    expected[r * dim + s] += w * v[r] * v[s];
                }
            }
        }
        Assert.True(used == stats.RowsUsed, $"{context}: RowsUsed {stats.RowsUsed}, expected {used}");
        Assert.True(skipped == stats.RowsSkippedNaN, $"{context}: RowsSkippedNaN {stats.RowsSkippedNaN}, expected {skipped}");
        var actual = new double[dim * dim];
        stats.BuildGram(actual);
        for (int r = 0; r < dim; r++)
        {
            for (int s = 0; s < dim; s++)
            {
                double e = expected[r * dim + s];
                // Cauchy–Schwarz scale of the entry, plus 1 (the centred test values are of order 1).
                double scale = Math.Sqrt(Math.Abs(expected[r * dim + r] * expected[s * dim + s])) + 1.0;
                double diff = Math.Abs(actual[r * dim + s] - e);
                Assert.True(diff <= 1e-9 * scale, $"{context}: Gram[{r},{s}] = {actual[r * dim + s]:R}, expected {e:R} (|diff|/scale = {diff / scale:E2})");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CopyToGivesAnIndependentIdenticalSnapshot(bool forgetting)
    {
        const int c = 3, p = 2;
        LaggedCovariance Make() => forgetting ? LaggedCovariance.WithForgetting(c, p, 0.98) : new LaggedCovariance(c, p, 40);
        var live = Make();
        var snapshot = Make();
        var rng = new Random(9);
        var sample = new double[c];
        for (int s = 0; s < 150; s++)
        {
            for (int j = 0; j < c; j++)
            {
                sample[j] = s == 120 && j == 1 ? double.NaN : rng.NextDouble();
            }
            live.Push(sample);
        }
        live.CopyTo(snapshot);
        int dim = live.GramDimension;
        var a = new double[dim * dim];
        var b = new double[dim * dim];
        live.BuildGram(a);
        snapshot.BuildGram(b);
        Assert.Equal(a, b);
        Assert.Equal(live.RowsUsed, snapshot.RowsUsed);
        Assert.Equal(live.RowsSkippedNaN, snapshot.RowsSkippedNaN);

        // Both continue identically and independently.
        for (int s = 0; s < 30; s++)
        {
            for (int j = 0; j < c; j++)
            {
                sample[j] = rng.NextDouble();
            }
            live.Push(sample);
            snapshot.Push(sample);
        }
        live.BuildGram(a);
        snapshot.BuildGram(b);
        Assert.Equal(a, b);
        live.Push(sample);
        live.BuildGram(a);
        Assert.NotEqual(a, b);

        Assert.Throws<ArgumentException>(() => live.CopyTo(new LaggedCovariance(c, p + 1, 40)));
    }

    [Fact]
    public void NaNSampleRemovesExactlyTheRowsThatContainIt()
    {
        const int c = 2, p = 2, window = 20;
        var stats = new LaggedCovariance(c, p, window);
        var sample = new double[c];
        for (int s = 0; s < 30; s++)
        {
            sample[0] = Math.Sin(s);
            sample[1] = s == 25 ? double.NaN : Math.Cos(0.3 * s);
            stats.Push(sample);
        }

        // Rows 10..29 are in the window; the NaN at sample 25 spoils rows 25, 26 and 27.
        Assert.Equal(3, stats.RowsSkippedNaN);
        Assert.Equal(17, stats.RowsUsed);
        Assert.Equal(17.0, stats.EffectiveRows);

        // Once the bad rows slide out of the window, nothing is skipped any more.
        for (int s = 30; s < 48; s++)
        {
            sample[0] = Math.Sin(s);
            sample[1] = Math.Cos(0.3 * s);
            stats.Push(sample);
        }
        Assert.Equal(0, stats.RowsSkippedNaN);
        Assert.Equal(window, stats.RowsUsed);
    }

    [Fact]
    public void TooShortWindowThrowsNamingTheSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LaggedCovariance(4, 3, 13));
        Assert.Contains("13", ex.Message);
        Assert.Contains("13 regressors", ex.Message);
        Assert.Equal("windowRows", ex.ParamName);

        var batch = Assert.Throws<ArgumentException>(() => LaggedCovariance.FromData(new double[3 * 10], 3, 3));
        Assert.Contains("10 regressors", batch.Message);

        var forget = Assert.Throws<ArgumentException>(() => LaggedCovariance.WithForgetting(8, 4, 0.95));
        Assert.Contains("33 regressors", forget.Message);
    }

    [Fact]
    public void WrongSampleLengthThrows()
    {
        var stats = new LaggedCovariance(3, 2, 50);
        var ex = Assert.Throws<ArgumentException>(() => stats.Push(new double[2]));
        Assert.Contains("3 channels", ex.Message);
    }

    [Fact]
    public void ResetForgetsEverything()
    {
        var stats = new LaggedCovariance(2, 1, 10);
        for (int s = 0; s < 25; s++)
        {
            stats.Push([s, 1.0 / (s + 1)]);
        }
        stats.Reset();
        Assert.Equal(0, stats.RowsUsed);
        Assert.Equal(0L, stats.SamplesPushed);
        var gram = new double[stats.GramDimension * stats.GramDimension];
        stats.BuildGram(gram);
        Assert.All(gram, g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void PushAllocatesNothing()
    {
        const int c = 16, p = 4;
        var stats = new LaggedCovariance(c, p, 200);
        var forgetting = LaggedCovariance.WithForgetting(c, p, 0.995);
        var sample = new double[c];
        var rng = new Random(3);
        for (int s = 0; s < 500; s++)
        {
            Fill(sample, rng, s);
            stats.Push(sample);
            forgetting.Push(sample);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 0; s < 5000; s++)
        {
            Fill(sample, rng, s);
            stats.Push(sample);
            forgetting.Push(sample);
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0L, after - before);
    }

    private static void Fill(double[] sample, Random rng, int s)
    {
        for (int j = 0; j < sample.Length; j++)
        {
            sample[j] = rng.NextDouble();
        }
        if (s % 97 == 0)
        {
            sample[s % sample.Length] = double.NaN;
        }
    }
}
