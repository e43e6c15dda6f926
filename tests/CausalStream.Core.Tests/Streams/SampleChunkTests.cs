using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Streams;

public class SampleChunkTests
{
    private static readonly StreamInfo Eeg = new("eeg", "EEG", "test", 3, 500, ChannelFormat.Float32);

    [Fact]
    public void RentedChunkExposesRowMajorValuesAndTimestamps()
    {
        using var chunk = SampleChunk.Rent(Eeg, 4, arrivalTicks: 42);
        for (int i = 0; i < chunk.Values.Length; i++)
        {
            chunk.Values[i] = i;
        }

        Assert.Equal(12, chunk.Values.Length);
        Assert.Equal(4, chunk.Timestamps.Length);
        Assert.Equal(new double[] { 6, 7, 8 }, chunk.Sample(2).ToArray());
        Assert.Equal(42, chunk.ArrivalTicks);
    }

    [Fact]
    public void LastReleaseReturnsChunkAndExtraReleaseThrows()
    {
        var chunk = SampleChunk.Rent(Eeg, 2);
        chunk.AddReference();
        chunk.Dispose();
        Assert.True(chunk.IsLive);
        chunk.Dispose();
        Assert.False(chunk.IsLive);
        Assert.Throws<ObjectDisposedException>(() => chunk.AddReference());
    }

    [Fact]
    public void StreamInfoRejectsMismatchedLabels()
    {
        var error = Assert.Throws<ArgumentException>(() => new StreamInfo("lfp", "LFP", "x", 2, 1000, ChannelFormat.Double64, ["a"]));
        Assert.Contains("lfp", error.Message);
    }
}
