using CausalStream.Core.Windows;

namespace CausalStream.Core.Tests.Windows;

public class StreamAlignerTests
{
    [Fact]
    public void TwoRatesResampleOntoTheGridByLinearInterpolation()
    {
        // A: 500 Hz from t = 0, [ramp 3t - 1, sin(2π·5t)]; B: 200 Hz from t = 0.0013, [sin(2π·3t + 0.4), ramp 7 - t].
        // Grid: 500 Hz from 0.05. B is fed one 20 ms block behind A.
        var aligner = new StreamAligner(500, 0.05);
        int a = aligner.AddRegularStream(2);
        int b = aligner.AddRegularStream(2);
        Assert.Equal(4, aligner.Width);
        Assert.Equal(2, aligner.ColumnOffset(b));

        var rows = new List<double[]>();
        var rowTimes = new List<double>();
        var outValues = new double[64 * 4];
        var outTimes = new double[64];
        double lastA = 0;
        double lastB = 0;
        for (int block = 0; block <= 100; block++)
        {
            if (block < 100)
            {
                (double[] va, double[] ta) = Block(block * 10, 10, 500, 0, t => [(3 * t) - 1, Math.Sin(2 * Math.PI * 5 * t)]);
                aligner.AppendSamples(a, va, ta);
                lastA = ta[^1];
            }

            if (block > 0)
            {
                (double[] vb, double[] tb) = Block((block - 1) * 4, 4, 200, 0.0013, t => [Math.Sin((2 * Math.PI * 3 * t) + 0.4), 7 - t]);
                aligner.AppendSamples(b, vb, tb);
                lastB = tb[^1];
            }

            int n;
            while ((n = aligner.EmitRows(outValues, outTimes)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    rows.Add(outValues.AsSpan(i * 4, 4).ToArray());
                    rowTimes.Add(outTimes[i]);
                }
            }
        }

        int expectedRows = (int)Math.Floor((Math.Min(lastA, lastB) - 0.05) * 500) + 1;
        Assert.Equal(expectedRows, rows.Count);
        double boundA = (0.002 * 0.002 / 8) * Math.Pow(2 * Math.PI * 5, 2) * 1.01;
        double boundB = (0.005 * 0.005 / 8) * Math.Pow(2 * Math.PI * 3, 2) * 1.01;
        double worstB = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            double g = 0.05 + (r / 500.0);
            Assert.Equal(g, rowTimes[r], 12);
            Assert.Equal((3 * g) - 1, rows[r][0], 9);
            Assert.InRange(rows[r][1] - Math.Sin(2 * Math.PI * 5 * g), -boundA, boundA);
            double errorB = rows[r][2] - Math.Sin((2 * Math.PI * 3 * g) + 0.4);
            Assert.InRange(errorB, -boundB, boundB);
            worstB = Math.Max(worstB, Math.Abs(errorB));
            Assert.Equal(7 - g, rows[r][3], 9);
        }

        // Interpolation, not hold: holding B would be off by up to 2π·3·0.005 ≈ 0.09.
        Assert.True(worstB > 1e-5);
    }

    [Fact]
    public void SpikeEventsAreCountedPerBinAndCode()
    {
        // Grid 100 Hz from 0: row r counts events in [(r - 1) / 100, r / 100).
        var aligner = new StreamAligner(100, 0);
        int spikes = aligner.AddEventStream(3);
        var random = new Random(5);
        var events = new List<(double T, int Code)>
        {
            (0.0049, 0), (0.0051, 0), (0.0100, 1), (0.0199, 2),
        };
        for (int i = 0; i < 400; i++)
        {
            events.Add((0.02 + (random.NextDouble() * 1.97), random.Next(3)));
        }

        events.Sort((x, y) => x.T.CompareTo(y.T));
        var expected = new int[202, 3];
        foreach ((double t, int code) in events)
        {
            expected[(int)Math.Floor(t * 100) + 1, code]++;
        }

        for (int start = 0; start < events.Count; start += 17)
        {
            var batch = events.GetRange(start, Math.Min(17, events.Count - start));
            aligner.AppendEvents(spikes, batch.Select(e => e.T).ToArray(), batch.Select(e => e.Code).ToArray());
        }

        aligner.AdvanceEvents(spikes, 2.0);
        Assert.Equal(201, aligner.ReadyRows);
        var values = new double[300 * 3];
        var times = new double[300];
        Assert.Equal(201, aligner.EmitRows(values, times));

        // Row 1: 0.0049 and 0.0051 (code 0); row 2: 0.0100 (code 1, on the boundary, so in [0.01, 0.02)) and 0.0199 (code 2).
        Assert.Equal(new double[] { 0, 0, 0, 2, 0, 0, 0, 1, 1 }, values.AsSpan(0, 9).ToArray());
        for (int r = 0; r < 201; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(expected[r, c], values[(r * 3) + c]);
            }
        }

        Assert.Equal(events.Count, values.AsSpan(0, 201 * 3).ToArray().Sum());
        Assert.Equal(0, aligner.DiscardedCount(spikes));
    }

    [Fact]
    public void RowsWaitForTheSlowestStream()
    {
        // Grid 100 Hz from 0; fast 500 Hz up to 0.998 s; slow 200 Hz; one event stream.
        var aligner = new StreamAligner(100, 0);
        int fast = aligner.AddRegularStream(1);
        int slow = aligner.AddRegularStream(1);
        int markers = aligner.AddEventStream(1);
        var values = new double[200 * 3];
        var times = new double[200];

        (double[] vf, double[] tf) = Block(0, 500, 500, 0, t => [t]);
        aligner.AppendSamples(fast, vf, tf);
        Assert.Equal(0, aligner.ReadyRows);

        (double[] vs, double[] ts) = Block(0, 41, 200, 0, t => [10 * t]); // up to 0.2 s
        aligner.AppendSamples(slow, vs, ts);
        Assert.Equal(0, aligner.ReadyRows); // the event stream has not reached any row yet
        Assert.Equal(0, aligner.EmitRows(values, times));

        aligner.AdvanceEvents(markers, 0.5);
        Assert.Equal(21, aligner.EmitRows(values, times)); // rows at 0.00 … 0.20
        Assert.Equal(0.2, times[20], 12);
        Assert.Equal(2.0, values[(20 * 3) + 1], 12);
        Assert.Equal(0, aligner.EmitRows(values, times));

        (vs, ts) = Block(41, 80, 200, 0, t => [10 * t]); // up to 0.6 s; the event stream is at 0.5
        aligner.AppendSamples(slow, vs, ts);
        Assert.Equal(30, aligner.EmitRows(values, times));
        Assert.Equal(0.5, times[29], 12);

        aligner.AdvanceEvents(markers, 5);
        Assert.Equal(10, aligner.EmitRows(values, times)); // now the slow stream (0.6 s) limits

        (vs, ts) = Block(121, 300, 200, 0, t => [10 * t]); // slow passes fast (0.998 s)
        aligner.AppendSamples(slow, vs, ts);
        Assert.Equal(39, aligner.EmitRows(values, times));
        Assert.Equal(0.99, times[38], 12);
        Assert.Equal(0.99, values[38 * 3], 12);
        Assert.Equal(100, aligner.NextRow);
        Assert.Equal(0, aligner.DroppedRows);
    }

    [Fact]
    public void EmitStopsAtTheCallersRoom()
    {
        var aligner = new StreamAligner(100, 0);
        int s = aligner.AddRegularStream(2);
        (double[] v, double[] t) = Block(0, 100, 100, 0, x => [x, -x]);
        aligner.AppendSamples(s, v, t);
        var values = new double[7 * 2 + 1];
        var times = new double[10];
        Assert.Equal(7, aligner.EmitRows(values, times));
        Assert.Equal(93, aligner.ReadyRows);
        Assert.Equal(0.07, aligner.RowTime(aligner.NextRow), 12);
    }

    [Fact]
    public void RowsBeforeAStreamsFirstSampleAreNaNAndBackwardsSamplesAreDiscarded()
    {
        var aligner = new StreamAligner(100, 0);
        int s = aligner.AddRegularStream(1);
        aligner.AppendSamples(s, [1, 2, 99, 3], [0.013, 0.023, 0.020, 0.033]);
        var values = new double[10];
        var times = new double[10];
        Assert.Equal(4, aligner.EmitRows(values, times));
        Assert.True(double.IsNaN(values[0]));
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal(1.7, values[2], 12);
        Assert.Equal(2.7, values[3], 12);
        Assert.Equal(1, aligner.DiscardedCount(s));
    }

    [Fact]
    public void AStalledStreamMakesTheOldestRowsDropOnceTheBufferIsFull()
    {
        var aligner = new StreamAligner(100, 0, bufferSeconds: 0.1); // 10 rows
        int fast = aligner.AddRegularStream(1);
        int stalled = aligner.AddRegularStream(1);
        (double[] vf, double[] tf) = Block(0, 500, 500, 0, t => [t]);
        aligner.AppendSamples(fast, vf, tf);
        Assert.Equal(90, aligner.DroppedRows);
        Assert.Equal(90, aligner.NextRow);

        (double[] vs, double[] ts) = Block(0, 200, 200, 0, t => [2 * t]); // up to 0.995 s: no row beyond 99
        aligner.AppendSamples(stalled, vs, ts);
        var values = new double[20 * 2];
        var times = new double[20];
        Assert.Equal(10, aligner.EmitRows(values, times));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(0.9 + (i * 0.01), times[i], 12);
            Assert.Equal(times[i], values[i * 2], 12);
            Assert.Equal(2 * times[i], values[(i * 2) + 1], 12);
        }
    }

    [Fact]
    public void MisuseIsReportedClearly()
    {
        var aligner = new StreamAligner(100, 0);
        int s = aligner.AddRegularStream(1);
        int e = aligner.AddEventStream(2);
        Assert.Contains("event stream", Assert.Throws<InvalidOperationException>(() => aligner.AppendSamples(e, [1], [0])).Message);
        Assert.Contains("regular stream", Assert.Throws<InvalidOperationException>(() => aligner.AppendEvents(s, [0])).Message);
        aligner.AppendSamples(s, [1], [0]);
        Assert.Throws<InvalidOperationException>(() => aligner.AddRegularStream(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => aligner.AppendSamples(5, [1], [0]));
        aligner.AppendEvents(e, [0.5, 0.6], [2, 1]);
        Assert.Equal(1, aligner.DiscardedCount(e)); // code 2 is out of range for 2 codes
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamAligner(0, 0));
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var aligner = new StreamAligner(500, 0);
        int a = aligner.AddRegularStream(8);
        int b = aligner.AddRegularStream(4);
        int e = aligner.AddEventStream(4);
        var va = new double[32 * 8];
        var ta = new double[32];
        var vb = new double[13 * 4];
        var tb = new double[13];
        var te = new double[3];
        var ce = new int[] { 0, 3, 1 };
        var outValues = new double[64 * aligner.Width];
        var outTimes = new double[64];
        int block = 0;
        long bytes = TestSignals.AllocatedBytes(() =>
        {
            for (int k = 0; k < 100; k++, block++)
            {
                for (int i = 0; i < 32; i++)
                {
                    ta[i] = ((block * 32) + i) / 1000.0; // 1 kHz, 32 ms per block
                }

                for (int i = 0; i < 13; i++)
                {
                    tb[i] = ((block * 13) + i) / 406.25; // 406.25 Hz, 32 ms per block
                }

                te[0] = ta[3];
                te[1] = ta[17];
                te[2] = ta[30];
                aligner.AppendSamples(a, va, ta);
                aligner.AppendSamples(b, vb, tb);
                aligner.AppendEvents(e, te, ce);
                while (aligner.EmitRows(outValues, outTimes) > 0)
                {
                }
            }
        });
        Assert.Equal(0, bytes);
        Assert.True(aligner.NextRow > 3000);
    }

    /// <summary>Samples [first, first + count) of a regular stream at <paramref name="rate"/> starting at <paramref name="t0"/>.</summary>
    private static (double[] Values, double[] Times) Block(int first, int count, double rate, double t0, Func<double, double[]> f)
    {
        var times = new double[count];
        var values = new List<double>();
        for (int i = 0; i < count; i++)
        {
            times[i] = t0 + ((first + i) / rate);
            values.AddRange(f(times[i]));
        }

        return (values.ToArray(), times);
    }
}
