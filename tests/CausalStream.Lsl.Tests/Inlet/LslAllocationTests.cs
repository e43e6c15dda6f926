using CausalStream.Core.Streams;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;

namespace CausalStream.Lsl.Tests.Inlet;

public class LslAllocationTests
{
    [Fact]
    public async Task SteadyStateStreamingAllocatesAlmostNothingPerSample()
    {
        var token = Loopback.Timeout(30);
        const int channels = 64;
        await using var outlet = new LslOutlet(Loopback.Stream("alloc", ChannelFormat.Float32, channels, 1000), Loopback.OutletOptions());
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        await inlet.OpenAsync(token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        var values = new double[channels * 32];
        var stamps = new double[32];

        async Task StreamAsync(int chunks)
        {
            int received = 0;
            for (int i = 0; i < chunks; i++)
            {
                for (int k = 0; k < 32; k++)
                {
                    stamps[k] = 1 + (((i * 32) + k) * 0.001);
                }

                outlet.PushChunk(values, stamps);
                while (received < (i + 1) * 32)
                {
                    using var chunk = await inlet.ReadChunkAsync(1024, token);
                    received += chunk!.SampleCount;
                }
            }
        }

        await StreamAsync(200);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await StreamAsync(1000);
        long perSample = (GC.GetTotalAllocatedBytes(precise: true) - before) / 32000;
        Assert.True(perSample < 16, $"{perSample} bytes allocated per {channels}-channel sample");
    }
}
