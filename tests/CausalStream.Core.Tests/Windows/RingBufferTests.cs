using CausalStream.Core.Windows;

namespace CausalStream.Core.Tests.Windows;

public class RingBufferTests
{
    [Fact]
    public void WrapsAroundWithOddChunkSizesAndKeepsTheNewestSamples()
    {
        const int capacity = 10;
        const int channels = 3;
        var ring = new RingBuffer(capacity, channels);
        var reference = new List<(double[] Values, double Time)>();
        int[] chunkSizes = [1, 3, 7, 2, 11, 5, 9, 1, 13, 4, 10, 6];
        long next = 0;
        foreach (int size in chunkSizes)
        {
            double[] values = TestSignals.Values(next, size, channels);
            double[] times = new double[size];
            for (int i = 0; i < size; i++)
            {
                times[i] = (next + i) * 0.01;
                reference.Add((values.AsSpan(i * channels, channels).ToArray(), times[i]));
            }

            ring.Append(values, times);
            next += size;

            Assert.Equal(next, ring.TotalWritten);
            Assert.Equal(Math.Min(capacity, reference.Count), ring.Count);
            for (int n = 0; n <= ring.Count; n++)
            {
                var gotValues = new double[n * channels];
                var gotTimes = new double[n];
                ring.CopyLatest(n, gotValues, gotTimes);
                var expectedValues = new List<double>();
                var expectedTimes = new List<double>();
                for (int k = reference.Count - n; k < reference.Count; k++)
                {
                    expectedValues.AddRange(reference[k].Values);
                    expectedTimes.Add(reference[k].Time);
                }

                Assert.Equal(expectedValues, gotValues);
                Assert.Equal(expectedTimes, gotTimes);
            }

            for (int age = 0; age < ring.Count; age++)
            {
                Assert.Equal(reference[^(age + 1)].Values, ring.SampleFromNewest(age).ToArray());
                Assert.Equal(reference[^(age + 1)].Time, ring.TimestampFromNewest(age));
            }
        }
    }

    [Fact]
    public void ChunkLongerThanCapacityKeepsItsTail()
    {
        var ring = new RingBuffer(4, 2);
        ring.Append(TestSignals.Values(0, 3, 2), [0, 1, 2]);
        ring.Append(TestSignals.Values(3, 9, 2), [3, 4, 5, 6, 7, 8, 9, 10, 11]);

        var values = new double[8];
        var times = new double[4];
        ring.CopyLatest(4, values, times);
        Assert.Equal(TestSignals.Values(8, 4, 2), values);
        Assert.Equal(new double[] { 8, 9, 10, 11 }, times);
        Assert.Equal(12, ring.TotalWritten);
    }

    [Fact]
    public void RejectsBadArgumentsWithClearMessages()
    {
        var ring = new RingBuffer(4, 2);
        var mismatch = Assert.Throws<ArgumentException>(() => ring.Append(new double[5], new double[3]));
        Assert.Contains("3 samples x 2 channels = 6 values, got 5", mismatch.Message);

        ring.Append(new double[4], new double[2]);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => ring.CopyLatest(3, new double[6], new double[3]));
        Assert.Contains("the ring holds 2", tooMany.Message);
        Assert.Throws<ArgumentException>(() => ring.CopyLatest(2, new double[3], new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.SampleFromNewest(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBuffer(0, 1));
    }

    [Fact]
    public void ClearForgetsSamples()
    {
        var ring = new RingBuffer(3, 1);
        ring.Append([1, 2], [0.1, 0.2]);
        ring.Clear();
        Assert.Equal(0, ring.Count);
        Assert.Equal(0, ring.TotalWritten);
        ring.Append([7], [0.7]);
        Assert.Equal(7, ring.SampleFromNewest(0)[0]);
    }

    [Fact]
    public void AppendAndCopyAllocateNothing()
    {
        var ring = new RingBuffer(100, 8);
        double[] values = TestSignals.Values(0, 37, 8);
        double[] times = new double[37];
        double[] outValues = new double[100 * 8];
        double[] outTimes = new double[100];
        long bytes = TestSignals.AllocatedBytes(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                ring.Append(values, times);
                ring.CopyLatest(ring.Count, outValues, outTimes);
                _ = ring.SampleFromNewest(5);
            }
        });
        Assert.Equal(0, bytes);
    }
}
