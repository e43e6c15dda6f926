using System.Diagnostics;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Time;

namespace CausalStream.Lsl.Tests.Inlet;

public class LslInletRecoveryTests
{
    [Fact]
    public async Task RestartedOutletWithTheSameSourceIdIsFollowedWithoutDuplicates()
    {
        var token = Loopback.Timeout(20);
        var info = Loopback.Stream("rec", ChannelFormat.Float32, 2, 1000, sourceId: "rec-device-1");
        var events = new List<LslInletEvent>();
        var first = new LslOutlet(info, Loopback.OutletOptions());
        string firstUid = first.Info.Uid;
        await using var inlet = new LslInlet(Loopback.Resolved(first), Loopback.InletOptions(e => { lock (events) { events.Add(e); } }));
        await inlet.OpenAsync(token);
        await first.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        for (int k = 0; k < 200; k++)
        {
            first.PushSample([k, -k], 1000 + (k * 0.001));
        }

        var (_, before) = await Loopback.ReadAsync(inlet, 200, token);
        var lostAt = Stopwatch.StartNew();
        await first.DisposeAsync();

        var restart = Task.Run(
            async () =>
            {
                await Task.Delay(300, token);
                await using var second = new LslOutlet(info, Loopback.OutletOptions());
                Assert.True(await second.WaitForConsumersAsync(TimeSpan.FromSeconds(10), token));
                for (int k = 180; k < 400; k++)
                {
                    second.PushSample([k, -k], 1000 + (k * 0.001));
                }

                await Task.Delay(2000, token);
                return second.Info.Uid;
            },
            token);

        var after = new List<double>();
        var values = new List<double>();
        double firstNewAfter = double.NaN;
        while (after.Count < 200)
        {
            using var chunk = await inlet.ReadChunkAsync(1000, token);
            Assert.NotNull(chunk);
            if (double.IsNaN(firstNewAfter))
            {
                firstNewAfter = lostAt.Elapsed.TotalSeconds;
            }

            after.AddRange(chunk.Timestamps.ToArray());
            values.AddRange(chunk.Values.ToArray());
        }

        string secondUid = await restart;
        Assert.NotEqual(firstUid, secondUid);
        Assert.Equal(secondUid, inlet.Info.Uid);
        Assert.True(firstNewAfter < 2.0, $"recovery took {firstNewAfter:F3} s");
        Assert.Equal(Enumerable.Range(200, 200).Select(k => 1000 + (k * 0.001)), after);
        Assert.Equal(200.0, values[0]);
        Assert.Equal(20, inlet.DuplicatesDropped);
        Assert.Equal(1, inlet.Recoveries);
        var all = before.Concat(after).ToList();
        for (int i = 1; i < all.Count; i++)
        {
            Assert.True(all[i] > all[i - 1], $"timestamps not increasing at {i}");
        }

        lock (events)
        {
            Assert.Contains(events, e => e.Kind == LslInletEventKind.ConnectionLost);
            var recovered = Assert.Single(events, e => e.Kind == LslInletEventKind.Recovered);
            Assert.Equal(20, recovered.DuplicatesDropped);
            Assert.InRange(recovered.GapSeconds, 0.0009, 0.0011);
            Assert.InRange(recovered.DowntimeSeconds, 0.2, 2.0);
        }
    }

    [Fact]
    public async Task WithoutRecoveryALostStreamEnds()
    {
        var token = Loopback.Timeout();
        var outlet = new LslOutlet(Loopback.Stream("norec", ChannelFormat.Int32, 1, 10, sourceId: "x"), Loopback.OutletOptions());
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions() with { Recover = false });
        await inlet.OpenAsync(token);
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        outlet.PushSample([5], 1);
        using (var chunk = await inlet.ReadChunkAsync(10, token))
        {
            Assert.Equal(5.0, chunk!.Values[0]);
        }

        await outlet.DisposeAsync();
        Assert.Null(await inlet.ReadChunkAsync(10, token));
    }
}
